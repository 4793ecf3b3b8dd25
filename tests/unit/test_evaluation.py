"""The labelled set, its design weights, the weighted scores and the targets."""

import csv
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from hiring_signals.evaluation import (
    SEEDS,
    Score,
    agreement,
    read_labels,
    shortfalls,
    weighted_scores,
)


def test_labelled_set_covers_every_year_with_a_random_sample_and_a_test_split():
    rows = read_labels()
    assert len(rows) >= 2000
    assert len({r["posting_id"] for r in rows}) == len(rows)
    assert Counter(r["split"] for r in rows).keys() == {"train", "test"}
    for row in rows:
        assert {row["is_ml"], row["is_deep_learning"], row["is_llm"]} <= {"0", "1"}
    with (SEEDS / "evaluation_sample.csv").open(encoding="utf-8", newline="") as handle:
        sample = list(csv.DictReader(handle))
    assert sum(r["in_srs"] == "true" for r in sample) >= 600
    per_year = Counter(r["posting_year"] for r in sample)
    assert min(per_year.values()) >= 150 and len(per_year) == 8
    labelled = {r["posting_id"] for r in rows}
    assert all(r["posting_id"] in labelled for r in sample), "every drawn posting is labelled"


def test_a_fifth_is_labelled_twice_blind_with_high_agreement():
    scores = agreement()
    labelled = len(read_labels())
    for label, (pairs, agree, kappa) in scores.items():
        assert pairs >= 0.2 * labelled, label
        assert kappa > 0.8 and agree > 0.9, label


def test_weighted_recall_counts_each_missed_posting_by_its_weight():
    # Stratum a: flagged, 4 labelled standing for 4 postings; stratum b: unflagged, 2
    # labelled standing for 100. One miss in b weighs 50: recall = 3 / (3 + 50).
    judgements = pd.DataFrame(
        {
            "in_design": True,
            "split": "test",
            "posting_year": 2020,
            "posting_id": [f"hn-{i}" for i in range(6)],
            "stratum": ["a"] * 4 + ["b"] * 2,
            "weight": [1.0] * 4 + [50.0] * 2,
            "actual_ml": [True, True, True, False, True, False],
            "predicted_ml": [True, True, True, True, False, False],
        }
    )
    for family in ("deep_learning", "llm"):
        judgements[f"actual_{family}"] = judgements["actual_ml"]
        judgements[f"predicted_{family}"] = judgements["predicted_ml"]
    for prefix in ("rule", "title"):
        for family in ("ml", "deep_learning", "llm"):
            judgements[f"{prefix}_{family}"] = judgements["predicted_ml"]
    rows = weighted_scores(judgements, replicates=200)
    row = next(
        r
        for r in rows
        if (r["classifier"], r["label"], r["split"], r["period"])
        == ("posting", "is_ml", "test", "all")
    )
    assert row["recall_rate"] == pytest.approx(3 / 53)
    assert row["precision_rate"] == pytest.approx(3 / 4)
    assert row["prevalence"] == pytest.approx(53 / 104)
    assert row["recall_ci_low"] <= row["recall_rate"] <= row["recall_ci_high"]
    unweighted = np.mean([True, True, True, False])
    assert row["recall_rate"] < unweighted, "the unweighted recall overstates"


def score(label: str, split: str, precision: float | None, recall: float | None) -> Score:
    return Score(
        "posting", label, split, "all", 100, precision, (None, None), recall, (None, None), 0.2
    )


def test_shortfalls_name_each_label_and_measure_below_target_on_the_test_split():
    scores = [
        score("is_ml", "test", 0.95, 0.80),
        score("is_llm", "test", None, 0.90),
        # Train rows, single years and other classifiers are not judged.
        score("is_ml", "train", 0.1, 0.1),
        Score("posting", "is_ml", "test", "2020", 50, 0.1, (0, 1), 0.1, (0, 1), 0.1),
        Score("title", "is_ml", "test", "all", 100, 0.1, (0, 1), 0.1, (0, 1), 0.1),
    ]
    assert shortfalls(scores) == [
        "is_ml recall on test: 0.80 < 0.90",
        "is_llm precision on test: - < 0.80",
    ]
