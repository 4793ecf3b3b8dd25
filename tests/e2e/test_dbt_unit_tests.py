"""The dbt unit tests (models' logic on fixed inputs) pass.

The pipeline's builds leave them out, as dbt advises for production runs (they test the
code, not the data), so the suite runs them: once, on a copy of the published build,
whose tables give dbt the column types of each model's inputs."""

import json

import pytest

from hiring_signals.warehouse import dbt_failures, run_dbt

pytestmark = pytest.mark.slow


def test_every_dbt_unit_test_passes(published_copy):
    code, target = run_dbt(published_copy, ["test", "--select", "test_type:unit"])

    assert code == 0, "dbt unit tests failed:\n" + "\n".join(dbt_failures(target))
    results = json.loads((target / "run_results.json").read_text())["results"]
    ran = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    manifest = json.loads((target / "manifest.json").read_text())
    assert set(ran) == set(manifest["unit_tests"]) and len(ran) > 20, "every unit test ran"
    assert set(ran.values()) == {"pass"}
