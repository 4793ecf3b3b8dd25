"""The labelled set and the comparison of scores with the targets."""

from collections import Counter

from hiring_signals.evaluation import Score, read_labels, shortfalls


def test_labelled_set_is_well_formed_and_has_a_holdout():
    rows = read_labels()
    assert len(rows) >= 400
    assert len({r["posting_id"] for r in rows}) == len(rows)
    assert Counter(r["split"] for r in rows).keys() == {"tune", "holdout"}
    assert sum(r["is_ml"] == "1" for r in rows) >= 150
    for row in rows:
        assert {row["is_ml"], row["is_deep_learning"], row["is_llm"]} <= {"0", "1"}
    holdout = sum(r["split"] == "holdout" for r in rows) / len(rows)
    assert 0.1 < holdout < 0.3


def score(label: str, split: str, precision: float | None, recall: float | None) -> Score:
    return Score("posting", label, split, "all", 100, 10, 1, 1, precision, recall)


def test_shortfalls_name_each_label_split_and_measure_below_target():
    scores = [
        score("is_ml", "tune", 0.95, 0.91),
        score("is_ml", "holdout", 0.95, 0.80),
        score("is_llm", "tune", None, 0.90),
        # Per-method rows, the title classifier and the 'all' split are not judged.
        Score("posting", "is_ml", "tune", "thread_comments", 50, 1, 9, 9, 0.1, 0.1),
        Score("title", "is_ml", "tune", "all", 100, 1, 9, 9, 0.1, 0.1),
        score("is_ml", "all", 0.1, 0.1),
    ]
    assert shortfalls(scores) == [
        "is_ml recall on holdout: 0.80 < 0.90",
        "is_llm precision on tune: - < 0.85",
    ]
