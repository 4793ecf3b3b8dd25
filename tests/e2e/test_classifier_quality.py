"""The classifier against the hand-labelled evaluation set, on the bundled data.

The floors are the scores measured when the taxonomy was last changed (README,
"The report and the evaluation"): a change that loses precision or recall anywhere
fails here. The issue's targets (evaluation.TARGETS) are higher for deep learning and
LLM; `hiring-signals evaluate` prints the gap.
"""

import pytest

from hiring_signals.evaluation import read_scores
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

# (label, split): (precision, recall) of the posting classifier, all ingest methods, as
# measured once every month was classified on its full text (the labels were made when
# 2023-2025 postings were archive titles; issue 17 relabels and reweights).
FLOORS = {
    ("is_ml", "tune"): (0.92, 0.83),
    ("is_ml", "holdout"): (0.84, 0.62),
    ("is_deep_learning", "tune"): (0.59, 0.73),
    ("is_deep_learning", "holdout"): (0.80, 0.50),
    ("is_llm", "tune"): (0.49, 0.61),
    ("is_llm", "holdout"): (0.29, 0.25),
}


def test_posting_classifier_keeps_its_measured_precision_and_recall(bundled_run, monkeypatch):
    monkeypatch.setenv("HS_DATA_DIR", str(bundled_run.data_dir))
    evaluated = run_cli("evaluate", check=True)

    scores = {
        (s.label, s.split): s
        for s in read_scores(bundled_run.data_dir / "analytics.duckdb")
        if s.classifier == "posting" and s.ingest_method == "all"
    }
    # One labelled archive posting is not among the page captures.
    assert scores["is_ml", "all"].labelled == 399
    assert scores["is_ml", "all"].true_positives + scores["is_ml", "all"].false_negatives >= 150
    below = [
        f"{label} on {split}: precision {scores[label, split].precision:.3f} (floor {p}), "
        f"recall {scores[label, split].recall:.3f} (floor {r})"
        for (label, split), (p, r) in FLOORS.items()
        if scores[label, split].precision < p - 0.005 or scores[label, split].recall < r - 0.005
    ]
    assert not below, "classifier lost quality:\n" + "\n".join(below)
    # The title flags are scored too, per ingest method.
    assert "title" in evaluated.stdout and "thread_comments" in evaluated.stdout
    assert "below target: is_deep_learning recall on tune" in " ".join(evaluated.stdout.split())
