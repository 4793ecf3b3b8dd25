"""The published classifier against the untouched test split, weighted by the sampling
design, on the bundled data.

The floors are the scores measured when the classifier was last trained (README, "The
report and the evaluation"): a change that loses precision or recall fails here. The
issue's targets (evaluation.TARGETS) are higher; the strict xfail below turns into a
failure the day they are met, so the marker has to go.
"""

import csv

import pytest

from hiring_signals.evaluation import SEEDS, TARGETS, read_scores
from hiring_signals.evaluation_sample import draw
from hiring_signals.warehouse import connect_read_only
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

# label: (precision, recall) of the learned classifier on the test split, all years.
FLOORS = {
    "is_ml": (0.80, 0.77),
    "is_deep_learning": (0.82, 0.58),
    "is_llm": (0.74, 0.66),
}


def _test_scores(bundled_run, classifier: str = "posting") -> dict:
    return {
        s.label: s
        for s in read_scores(bundled_run.data_dir / "analytics.duckdb")
        if (s.classifier, s.split, s.period) == (classifier, "test", "all")
    }


def test_learned_classifier_keeps_its_weighted_test_split_scores(bundled_run, monkeypatch):
    monkeypatch.setenv("HS_DATA_DIR", str(bundled_run.data_dir))
    evaluated = run_cli("evaluate", check=True)
    scores = _test_scores(bundled_run)
    assert scores["is_ml"].labelled == 926
    below = [
        f"{label}: precision {scores[label].precision:.3f} (floor {p}), "
        f"recall {scores[label].recall:.3f} (floor {r})"
        for label, (p, r) in FLOORS.items()
        if scores[label].precision < p or scores[label].recall < r
    ]
    assert not below, "classifier lost quality:\n" + "\n".join(below)
    for label, s in scores.items():
        assert s.recall_ci[0] < s.recall < s.recall_ci[1], label
    # It beats the rules it builds on, and the title flags miss most ML postings.
    rules, title = _test_scores(bundled_run, "rule"), _test_scores(bundled_run, "title")
    assert scores["is_ml"].recall > rules["is_ml"].recall > title["is_ml"].recall
    printed = " ".join(evaluated.stdout.split())
    assert "Cohen's kappa" in printed and "test" in printed and "2019" in printed


@pytest.mark.xfail(strict=True, reason="targets not reached yet: see README and issue 17 note")
def test_learned_classifier_reaches_the_targets_on_the_test_split(bundled_run):
    scores = _test_scores(bundled_run)
    for label, (p, r) in TARGETS.items():
        assert scores[label].precision >= p and scores[label].recall >= r, label


def test_the_evaluation_sample_redraws_to_the_same_postings_and_weights(bundled_run):
    """Design v2 is reproducible: the seeded hash draw on the bundle gives the seed."""
    with connect_read_only(bundled_run.data_dir / "analytics.duckdb") as con:
        rows = draw(con)
    with (SEEDS / "evaluation_sample.csv").open(encoding="utf-8", newline="") as handle:
        seed = list(csv.reader(handle))[1:]
    assert [[str(v).lower() if isinstance(v, bool) else str(v) for v in r] for r in rows] == seed
