"""Precision and recall of the classifiers against the hand-labelled evaluation set.

The labels are the dbt seed ``evaluation_labels`` (sampled and labelled following
``docs/labeling.md``; ``split`` = holdout marks the 20% the taxonomy was never tuned
on). The scoring itself is the dbt mart ``fct_classifier_evaluation``; this module reads
it from the published warehouse and compares it with the targets.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only

LABELS_FILE = REPO_ROOT / "dbt_project" / "seeds" / "evaluation_labels.csv"
LABELS = ("is_ml", "is_deep_learning", "is_llm")
# (precision, recall) the posting classifier is meant to reach on each split (issue 6).
TARGETS = {"is_ml": (0.92, 0.90), "is_deep_learning": (0.85, 0.85), "is_llm": (0.85, 0.85)}


@dataclass(frozen=True)
class Score:
    classifier: str
    label: str
    split: str
    ingest_method: str
    labelled: int
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float | None
    recall: float | None


def read_labels(path: Path = LABELS_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_scores(analytics_db: Path) -> list[Score]:
    """Every row of marts.fct_classifier_evaluation, posting classifier first."""
    with connect_read_only(analytics_db) as con:
        rows = con.execute(
            """
            select classifier, label, split, ingest_method, labelled, true_positives,
                   false_positives, false_negatives, precision_rate, recall_rate
            from marts.fct_classifier_evaluation
            order by classifier, label, split desc, ingest_method
            """
        ).fetchall()
    return [Score(*row) for row in rows]


def shortfalls(scores: list[Score]) -> list[str]:
    """Where the posting classifier misses its target, over all methods, per split."""
    misses = []
    for s in scores:
        if s.classifier != "posting" or s.ingest_method != "all" or s.split == "all":
            continue
        for name, value, target in zip(
            ("precision", "recall"), (s.precision, s.recall), TARGETS[s.label], strict=True
        ):
            if value is None or value < target:
                shown = "-" if value is None else f"{value:.2f}"
                misses.append(f"{s.label} {name} on {s.split}: {shown} < {target:.2f}")
    return misses


def recall_note(analytics_db: Path, classifier: str) -> str | None:
    """One sentence on how much of each family a classifier finds (None if unscored)."""
    scores = {
        s.label: s
        for s in read_scores(analytics_db)
        if s.classifier == classifier and s.split == "all" and s.ingest_method == "all"
    }
    if any(scores.get(label) is None or scores[label].recall is None for label in LABELS):
        return None
    found = ", ".join(
        f"{scores[label].recall:.0%} of {name}"
        for label, name in zip(LABELS, ("ML", "deep-learning", "LLM"), strict=True)
    )
    precise = ", ".join(
        "-" if scores[label].precision is None else f"{scores[label].precision:.0%}"
        for label in LABELS
    )
    return (
        f"On the hand-labelled evaluation set the {classifier} flags find {found} postings "
        f"(precision {precise}), unweighted: a share misses what the flags miss and "
        "counts what they flag wrongly, and a change of a share assumes both held steady."
    )
