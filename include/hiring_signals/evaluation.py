"""Precision, recall and prevalence of the classifiers, weighted by the sampling design.

The labelled postings of design v2 (docs/labeling.md) were drawn with known inclusion
probabilities: a simple random sample and a sample stratified by year and by the rule
classifier's flag at draw time. Each weighs 1 / its inclusion probability, so a weighted
count estimates the population's count (Horvitz-Thompson), and precision, recall and
prevalence are ratios of weighted counts. 95% intervals: percentile bootstrap over the
labelled postings, resampled within their strata (``estimates.bootstrap_counts``). The
scores are the Python model ``fct_classifier_evaluation``; this module also reads them
back from the published warehouse and checks the targets of the test split.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hiring_signals.estimates import bootstrap_counts, percentile_interval, ratio_replicates
from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only

SEEDS = REPO_ROOT / "dbt_project" / "seeds"
LABELS_FILE = SEEDS / "evaluation_labels.csv"
SECOND_OPINIONS_FILE = SEEDS / "evaluation_second_opinions.csv"
FAMILIES = {"ml": "is_ml", "deep_learning": "is_deep_learning", "llm": "is_llm"}
CLASSIFIERS = ("posting", "rule", "title")  # columns predicted_*, rule_*, title_*
PREFIX = {"posting": "predicted", "rule": "rule", "title": "title"}
# (precision, recall) the published (posting) classifier must reach on the test split.
TARGETS = {"is_ml": (0.90, 0.90), "is_deep_learning": (0.80, 0.80), "is_llm": (0.80, 0.80)}
REPLICATES = 1000
SEED = 2020

SCORE_COLUMNS = [
    "classifier",
    "label",
    "split",
    "period",
    "labelled",
    "weighted_postings",
    "precision_rate",
    "precision_ci_low",
    "precision_ci_high",
    "recall_rate",
    "recall_ci_low",
    "recall_ci_high",
    "prevalence",
    "prevalence_ci_low",
    "prevalence_ci_high",
]


def _ratio(num: np.ndarray, den: np.ndarray) -> float | None:
    return float(num.sum() / den.sum()) if den.sum() > 0 else None


def weighted_scores(
    judgements: pd.DataFrame, replicates: int = REPLICATES, seed: int = SEED
) -> list[dict[str, object]]:
    """Scores per classifier, label, split (train, test, all) and period (year, all)
    over the postings of design v2 (``fct_evaluation_judgements`` rows)."""
    # Sorted, so the seeded bootstrap does not depend on the order rows arrive in.
    data = judgements[judgements["in_design"]].sort_values("posting_id").reset_index(drop=True)
    counts = bootstrap_counts(data["stratum"].astype(str).to_numpy(), replicates, seed)
    weight = data["weight"].to_numpy(dtype=float)
    years = data["posting_year"].to_numpy(dtype=int)
    splits = data["split"].to_numpy()
    rows = []
    for classifier in CLASSIFIERS:
        for family, label in FAMILIES.items():
            actual = data[f"actual_{family}"].to_numpy(dtype=bool)
            predicted = data[f"{PREFIX[classifier]}_{family}"].to_numpy(dtype=bool)
            for split in ("test", "train", "all"):
                for period in ["all", *map(str, sorted(set(years)))]:
                    rows_in = np.ones(len(data), dtype=bool)
                    if split != "all":
                        rows_in &= splits == split
                    if period != "all":
                        rows_in &= years == int(period)
                    w = weight * rows_in
                    tp, flagged, positive = w * (actual & predicted), w * predicted, w * actual
                    rows.append(
                        {
                            "classifier": classifier,
                            "label": label,
                            "split": split,
                            "period": period,
                            "labelled": int(rows_in.sum()),
                            "weighted_postings": float(w.sum()),
                            "precision_rate": _ratio(tp, flagged),
                            **dict(
                                zip(
                                    ("precision_ci_low", "precision_ci_high"),
                                    percentile_interval(ratio_replicates(counts, tp, flagged)),
                                    strict=True,
                                )
                            ),
                            "recall_rate": _ratio(tp, positive),
                            **dict(
                                zip(
                                    ("recall_ci_low", "recall_ci_high"),
                                    percentile_interval(ratio_replicates(counts, tp, positive)),
                                    strict=True,
                                )
                            ),
                            "prevalence": _ratio(positive, w),
                            **dict(
                                zip(
                                    ("prevalence_ci_low", "prevalence_ci_high"),
                                    percentile_interval(ratio_replicates(counts, positive, w)),
                                    strict=True,
                                )
                            ),
                        }
                    )
    return rows


@dataclass(frozen=True)
class Score:
    classifier: str
    label: str
    split: str
    period: str
    labelled: int
    precision: float | None
    precision_ci: tuple[float | None, float | None]
    recall: float | None
    recall_ci: tuple[float | None, float | None]
    prevalence: float | None


def read_scores(analytics_db: Path) -> list[Score]:
    """Every row of marts.fct_classifier_evaluation, posting classifier first."""
    with connect_read_only(analytics_db) as con:
        rows = con.execute(
            """
            select classifier, label, split, period, labelled, precision_rate,
                   precision_ci_low, precision_ci_high, recall_rate, recall_ci_low,
                   recall_ci_high, prevalence
            from marts.fct_classifier_evaluation
            order by classifier, label, split desc, period
            """
        ).fetchall()
    return [
        Score(r[0], r[1], r[2], r[3], r[4], r[5], (r[6], r[7]), r[8], (r[9], r[10]), r[11])
        for r in rows
    ]


def shortfalls(scores: list[Score]) -> list[str]:
    """Where the posting classifier misses its target on the test split, all years."""
    misses = []
    for s in scores:
        if (s.classifier, s.split, s.period) != ("posting", "test", "all"):
            continue
        for name, value, target in zip(
            ("precision", "recall"), (s.precision, s.recall), TARGETS[s.label], strict=True
        ):
            if value is None or value < target:
                shown = "-" if value is None else f"{value:.2f}"
                misses.append(f"{s.label} {name} on test: {shown} < {target:.2f}")
    return misses


def read_labels(path: Path = LABELS_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def agreement(
    labels: Path = LABELS_FILE,
    second: Path = SECOND_OPINIONS_FILE,
    passes: tuple[str, ...] = ("v2_second", "v3_second"),
) -> dict[str, tuple[int, float, float]]:
    """Per label: (postings labelled twice, share agreeing, Cohen's kappa) between the
    first label and the blind second one."""
    from sklearn.metrics import cohen_kappa_score

    first = {r["posting_id"]: r for r in read_labels(labels)}
    with second.open(encoding="utf-8", newline="") as handle:
        pairs = [
            (first[r["posting_id"]], r)
            for r in csv.DictReader(handle)
            if r["pass"] in passes and r["posting_id"] in first
        ]
    result = {}
    for label in FAMILIES.values():
        a = [int(p[0][label]) for p in pairs]
        b = [int(p[1][label]) for p in pairs]
        agree = sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a else float("nan")
        result[label] = (len(a), agree, float(cohen_kappa_score(a, b)) if a else float("nan"))
    return result


def recall_note(analytics_db: Path) -> str | None:
    """One sentence on how much of each family the published flags find (test split)."""
    scores = {
        s.label: s
        for s in read_scores(analytics_db)
        if (s.classifier, s.split, s.period) == ("posting", "test", "all")
    }
    if any(scores.get(label) is None or scores[label].recall is None for label in TARGETS):
        return None
    found = ", ".join(
        f"{scores[label].recall:.0%} of {name}"
        for label, name in zip(TARGETS, ("ML", "deep-learning", "LLM"), strict=True)
    )
    precise = ", ".join(
        "-" if scores[label].precision is None else f"{scores[label].precision:.0%}"
        for label in TARGETS
    )
    return (
        f"On the untouched test split, weighted by the sampling design, the flags find "
        f"{found} postings (precision {precise}); the estimated shares correct for both."
    )
