"""Train the learned posting classifier from the labels: ``hiring-signals train-classifier``.

One L2-regularised logistic regression per label (is_ml, is_deep_learning, is_llm) over
the binary features of the dbt view ``int_posting_features`` (words of text and title,
matched taxonomy terms, the rule classifier's flags), read from the build database for
the labelled postings of the ``train`` split only: the ``test`` split is never read
here. The regularisation strength and the decision threshold are chosen by 5-fold
cross-validation on the train split, maximising F1 weighted by the sampling design
(1 / inclusion probability of design v3; labels outside it tune the fit, not the
threshold). The weights are written as integers in micro-units to the seed
``ml_classifier_weights`` (the threshold folded into the intercept), which
``int_postings_scored`` applies inside the dbt build; the training report goes to
``docs/classifier_training.md``. Same labels and features, same bytes: liblinear is
deterministic and the folds are seeded.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from hiring_signals.settings import REPO_ROOT

LABELS = ("is_ml", "is_deep_learning", "is_llm")
SEEDS = REPO_ROOT / "dbt_project" / "seeds"
WEIGHTS_FILE = SEEDS / "ml_classifier_weights.csv"
LABELS_FILE = SEEDS / "evaluation_labels.csv"
SAMPLE_FILE = SEEDS / "evaluation_sample.csv"
REPORT_FILE = REPO_ROOT / "docs" / "classifier_training.md"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
CLASS_WEIGHTS = (None, "balanced")  # balanced helps the rare labels (LLM: CV F1 +0.04)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.10, 0.91, 0.05))
FOLDS = 5
FOLD_SEED = 17
MIN_POSTINGS_PER_FEATURE = 2
MICRO = 1_000_000


@dataclass(frozen=True)
class LabelFit:
    label: str
    positives: int
    c: float
    class_weight: str
    threshold: float
    cv_precision: float
    cv_recall: float
    weights: dict[str, int]  # feature -> micro-units, '(intercept)' included


def train_labels(labels_file: Path = LABELS_FILE) -> list[dict[str, str]]:
    """The labelled postings of the train split (test rows are dropped as they are read)."""
    with labels_file.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["split"] == "train"]


def design_weights(sample_file: Path = SAMPLE_FILE) -> dict[str, float]:
    """1 / inclusion probability of every posting drawn by evaluation design v3."""
    with sample_file.open(encoding="utf-8", newline="") as handle:
        return {
            r["posting_id"]: 1 / float(r["inclusion_probability"]) for r in csv.DictReader(handle)
        }


def read_features(build_db: Path, posting_ids: list[str]) -> dict[str, list[str]]:
    with duckdb.connect(str(build_db), read_only=True) as con:
        con.execute("create temp table wanted (posting_id varchar)")
        con.executemany("insert into wanted values (?)", [[p] for p in posting_ids])
        rows = con.execute(
            "select posting_id, list(feature order by feature) "
            "from intermediate.int_posting_features "
            "where posting_id in (select posting_id from wanted) group by posting_id"
        ).fetchall()
    return dict(rows)


def _matrix(docs: list[list[str]]) -> tuple[csr_matrix, list[str]]:
    counts: dict[str, int] = {}
    for features in docs:
        for f in set(features):
            counts[f] = counts.get(f, 0) + 1
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_POSTINGS_PER_FEATURE)
    index = {f: i for i, f in enumerate(vocabulary)}
    rows, cols = [], []
    for r, features in enumerate(docs):
        for c in sorted({index[f] for f in features if f in index}):
            rows.append(r)
            cols.append(c)
    data = np.ones(len(rows))
    return csr_matrix((data, (rows, cols)), shape=(len(docs), len(vocabulary))), vocabulary


def _model(c: float, class_weight: str | None) -> LogisticRegression:
    return LogisticRegression(
        C=c, class_weight=class_weight, solver="liblinear", max_iter=5000, random_state=0
    )


def weighted_f1(y: np.ndarray, predicted: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(w * (predicted & y)))
    fp = float(np.sum(w * (predicted & ~y)))
    fn = float(np.sum(w * (~predicted & y)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def fit_label(
    label: str, x: csr_matrix, y: np.ndarray, w: np.ndarray, vocabulary: list[str]
) -> LabelFit:
    """C, class weighting and threshold by cross-validation (weighted F1 over the design
    rows), then a fit on the whole train split."""
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=FOLD_SEED)
    best = None
    for class_weight in CLASS_WEIGHTS:
        for c in C_GRID:
            out_of_fold = np.zeros(len(y))
            for fit_rows, held_rows in folds.split(x, y):
                model = _model(c, class_weight).fit(x[fit_rows], y[fit_rows])
                out_of_fold[held_rows] = model.predict_proba(x[held_rows])[:, 1]
            for t in THRESHOLDS:
                f1, precision, recall = weighted_f1(y, out_of_fold >= t, w)
                if best is None or f1 > best[0] + 1e-12:
                    best = (f1, c, class_weight, t, precision, recall)
    _, c, class_weight, t, precision, recall = best
    model = _model(c, class_weight).fit(x, y)
    weights = {
        f: round(float(v) * MICRO)
        for f, v in zip(vocabulary, model.coef_[0], strict=True)
        if round(float(v) * MICRO) != 0
    }
    weights["(intercept)"] = round((float(model.intercept_[0]) - math.log(t / (1 - t))) * MICRO)
    return LabelFit(label, int(y.sum()), c, class_weight or "none", t, precision, recall, weights)


def train(build_db: Path) -> list[LabelFit]:
    labels = train_labels()
    features = read_features(build_db, [r["posting_id"] for r in labels])
    missing = [r["posting_id"] for r in labels if r["posting_id"] not in features]
    if missing:
        raise RuntimeError(
            f"{len(missing)} labelled postings are not in {build_db} "
            f"(first: {missing[0]}): build the bundled data first (`hiring-signals run`)"
        )
    rows = sorted(labels, key=lambda r: r["posting_id"])
    x, vocabulary = _matrix([features[r["posting_id"]] for r in rows])
    design = design_weights()
    w = np.array([design.get(r["posting_id"], 0.0) for r in rows])
    return [
        fit_label(label, x, np.array([r[label] == "1" for r in rows]), w, vocabulary)
        for label in LABELS
    ]


def write_weights(fits: list[LabelFit], path: Path = WEIGHTS_FILE) -> int:
    """One row per feature with a weight for any label, one column per label (0 where a
    label gives it none): scoring is one join and three sums."""
    features = sorted({f for fit in fits for f in fit.weights})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["feature", *(fit.label for fit in fits)])
        for feature in features:
            writer.writerow([feature, *(fit.weights.get(feature, 0) for fit in fits)])
    return len(features)


def write_report(fits: list[LabelFit], train_rows: int, path: Path = REPORT_FILE) -> None:
    lines = [
        "# Training report of the learned posting classifier",
        "",
        "Written by `hiring-signals train-classifier` (include/hiring_signals/"
        "classifier_training.py); do not edit by hand. Scores on the untouched test split "
        "are in `fct_classifier_evaluation` and `hiring-signals evaluate`.",
        "",
        f"Labelled postings of the train split: {train_rows}. Features: words of text and "
        f"title, matched taxonomy terms, rule flags, each in at least "
        f"{MIN_POSTINGS_PER_FEATURE} train postings.",
        "",
        "| label | positives | C | class weight | threshold | CV precision | CV recall "
        "| non-zero weights |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in fits:
        lines.append(
            f"| {f.label} | {f.positives} | {f.c:g} | {f.class_weight} | {f.threshold:.2f} | "
            f"{f.cv_precision:.3f} | {f.cv_recall:.3f} | {len(f.weights) - 1} |"
        )
    lines += [
        "",
        "CV precision and recall: 5-fold cross-validation on the train split, weighted by "
        "1 / inclusion probability over the postings of design v3 (docs/labeling.md).",
        "",
    ]
    for f in fits:
        ranked = sorted(((v, k) for k, v in f.weights.items() if k != "(intercept)"), reverse=True)
        top = ", ".join(f"`{k}` {v / MICRO:+.2f}" for v, k in ranked[:12])
        bottom = ", ".join(f"`{k}` {v / MICRO:+.2f}" for v, k in ranked[-6:])
        lines += [f"- **{f.label}**: strongest for: {top}; against: {bottom}."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
