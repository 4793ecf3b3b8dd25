"""Precision and recall of the classifier against the hand-labelled evaluation set.

``evaluation/labels.csv`` holds postings sampled with a seed (stratified by ingest method
and predicted class) and labelled by hand following ``docs/labeling.md``; ``split`` marks
the 20% ``holdout`` the taxonomy must not be tuned on.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from hiring_signals.warehouse import connect_read_only

LABELS = ("is_ml", "is_deep_learning", "is_llm")
# Column prefix of each classifier's flags in marts.fct_job_postings: the posting
# classifier (everything a posting has) and the title alone (comparable across methods).
CLASSIFIERS = {"posting": "", "title": "title_"}
# (precision, recall) the posting classifier is meant to reach on every split (issue 6).
TARGETS = {"is_ml": (0.92, 0.90), "is_deep_learning": (0.85, 0.85), "is_llm": (0.85, 0.85)}


@dataclass(frozen=True)
class Score:
    classifier: str
    label: str
    split: str
    true_positives: int
    false_positives: int
    false_negatives: int
    labelled: int

    @property
    def precision(self) -> float | None:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else None


def read_labels(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def score(
    labels: list[dict[str, str]], predictions: dict[str, dict[str, bool | None]]
) -> list[Score]:
    """Scores per classifier, label and split ('tune', 'holdout', 'all')."""
    scores = []
    for classifier, prefix in CLASSIFIERS.items():
        for label in LABELS:
            for split in ("tune", "holdout", "all"):
                tp = fp = fn = n = 0
                for row in labels:
                    if split != "all" and row["split"] != split:
                        continue
                    predicted = predictions[row["posting_id"]].get(prefix + label)
                    if predicted is None:  # the classifier did not run on this posting
                        continue
                    actual = row[label] == "1"
                    n += 1
                    tp += predicted and actual
                    fp += predicted and not actual
                    fn += actual and not predicted
                scores.append(Score(classifier, label, split, tp, fp, fn, n))
    return scores


def evaluate(analytics_db: Path, labels_file: Path) -> list[Score]:
    labels = read_labels(labels_file)
    columns = [prefix + label for prefix in CLASSIFIERS.values() for label in LABELS]
    with connect_read_only(analytics_db) as con:
        rows = con.execute(
            f"select posting_id, {', '.join(columns)} from marts.fct_job_postings "
            "where posting_id in (select unnest(?))",
            [[row["posting_id"] for row in labels]],
        ).fetchall()
    predictions = {r[0]: dict(zip(columns, r[1:], strict=True)) for r in rows}
    missing = sorted({row["posting_id"] for row in labels} - set(predictions))
    if missing:
        raise ValueError(
            f"{labels_file}: {len(missing)} labelled postings are not in the "
            f"warehouse, e.g. {missing[:3]}"
        )
    return score(labels, predictions)
