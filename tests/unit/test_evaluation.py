"""The evaluation metrics and the labelled set itself."""

from collections import Counter

import pytest

from hiring_signals.evaluation import read_labels, score
from hiring_signals.settings import REPO_ROOT

LABELS_FILE = REPO_ROOT / "evaluation" / "labels.csv"


def test_labelled_set_is_well_formed_and_has_a_holdout():
    rows = read_labels(LABELS_FILE)
    assert len({r["posting_id"] for r in rows}) == len(rows)
    assert Counter(r["split"] for r in rows).keys() == {"tune", "holdout"}
    for row in rows:
        assert {row["is_ml"], row["is_deep_learning"], row["is_llm"]} <= {"0", "1"}
        if row["is_deep_learning"] == "1" or row["is_llm"] == "1":
            assert row["is_ml"] == "1", f"{row['posting_id']}: DL and LLM roles are ML roles"
    holdout = sum(r["split"] == "holdout" for r in rows) / len(rows)
    assert 0.1 < holdout < 0.3


def test_precision_and_recall_count_hits_misses_and_skip_unclassified_postings():
    labels = [
        {"posting_id": p, "split": "tune", "is_ml": m, "is_deep_learning": "0", "is_llm": "0"}
        for p, m in (("a", "1"), ("b", "1"), ("c", "0"), ("d", "0"))
    ]
    predictions = {
        "a": {"is_ml": True, "title_is_ml": None},
        "b": {"is_ml": False, "title_is_ml": True},
        "c": {"is_ml": True, "title_is_ml": False},
        "d": {"is_ml": False, "title_is_ml": None},
    }
    scores = {(s.classifier, s.label, s.split): s for s in score(labels, predictions)}
    posting = scores["posting", "is_ml", "all"]
    assert (posting.true_positives, posting.false_positives, posting.false_negatives) == (1, 1, 1)
    assert posting.precision == pytest.approx(0.5) and posting.recall == pytest.approx(0.5)
    title = scores["title", "is_ml", "all"]
    assert title.labelled == 2 and title.precision == 1.0 and title.recall == 1.0
    assert scores["posting", "is_ml", "holdout"].labelled == 0
    assert scores["posting", "is_ml", "holdout"].precision is None
