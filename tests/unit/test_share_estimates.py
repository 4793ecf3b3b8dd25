"""The corrected share's interval covers the true share; the flagged share's does not.

Synthetic populations of known prevalence, classified with known error, each with a
labelled simple random sample that measures the error: what the product does every
month, where the truth is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from hiring_signals.estimates import ErrorModel, change, estimate, rogan_gladen

POPULATIONS = 500


def _population(rng: np.random.Generator, size: int = 4000, labelled: int = 400):
    prevalence = rng.uniform(0.05, 0.35)
    sensitivity = rng.uniform(0.55, 0.95)
    specificity = rng.uniform(0.90, 0.99)
    truth = rng.random(size) < prevalence
    flagged = np.where(truth, rng.random(size) < sensitivity, rng.random(size) > specificity)
    sample = rng.choice(size, labelled, replace=False)
    judgements = pd.DataFrame(
        {
            "posting_id": [f"hn-{i:04d}" for i in range(labelled)],
            "posting_year": 2020,
            "stratum": "all",
            "weight": size / labelled,
            **{f"actual_{f}": truth[sample] for f in ("ml", "deep_learning", "llm")},
            **{f"predicted_{f}": flagged[sample] for f in ("ml", "deep_learning", "llm")},
        }
    )
    return truth.mean(), int(flagged.sum()), size, judgements


def test_corrected_interval_covers_the_true_share_and_the_flagged_one_does_not():
    rng = np.random.default_rng(7)
    corrected_covers = flagged_covers = 0
    for i in range(POPULATIONS):
        true_share, flagged, size, judgements = _population(rng)
        model = ErrorModel(judgements, replicates=400, seed=i)
        result = estimate(model, "ml", [(2020, size, flagged)], seed=i)
        corrected_covers += result.ci_low <= true_share <= result.ci_high
        low, high = proportion_confint(flagged, size, method="wilson")
        flagged_covers += low <= true_share <= high
    assert corrected_covers / POPULATIONS >= 0.93
    assert flagged_covers / POPULATIONS < 0.5


def test_rogan_gladen_recovers_the_share_of_a_known_classifier():
    # 30% true, sensitivity 0.8, specificity 0.9: flagged 0.8*0.3 + 0.1*0.7 = 0.31
    assert rogan_gladen(0.31, 0.8, 0.9) == pytest.approx(0.30)
    assert np.isnan(rogan_gladen(0.5, 0.5, 0.5))  # a coin flip says nothing


def test_a_change_between_windows_is_significant_only_when_the_true_share_moved():
    rng = np.random.default_rng(3)
    _, _, _, judgements = _population(rng, labelled=600)
    model = ErrorModel(judgements, replicates=500, seed=1)
    same_a = estimate(model, "ml", [(2020, 3000, 600)], seed=1)
    same_b = estimate(model, "ml", [(2020, 3000, 610)], seed=2)
    moved = estimate(model, "ml", [(2020, 3000, 1200)], seed=3)
    assert change(same_a, same_b).p_value > 0.05
    assert change(moved, same_a).p_value < 0.01
