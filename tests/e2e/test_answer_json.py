"""`hiring-signals answer --format json` on the published fixture: the documented schema,
and the same figures as the verdict mart."""

import json

import jsonschema
import pytest

from hiring_signals.answer_view import SCHEMA_FILE
from hiring_signals.warehouse import connect_read_only
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


def test_answer_json_validates_against_the_schema_and_matches_the_mart(published):
    document = json.loads(run_cli("answer", "--format", "json", check=True).stdout)
    jsonschema.validate(document, json.loads(SCHEMA_FILE.read_text()))
    with connect_read_only(published.analytics_db) as con:
        mart = dict(
            con.execute(
                "select family, value_now from marts.fct_hiring_verdict "
                "where measure = 'estimated_share' and baseline = 'previous 6 months'"
            ).fetchall()
        )
        (gate_run_id,) = con.execute("select gate_run_id from meta.snapshots").fetchone()
    assert {f["family"]: f["now"]["value"] for f in document["families"]} == mart
    assert document["gate"]["run_id"] == gate_run_id and document["gate"]["success"] is True
    assert len(document["headlines"]) == 3
