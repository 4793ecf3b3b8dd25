"""Every saved analyst query in queries/ runs against a freshly published warehouse."""

import pytest

from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

QUERIES = sorted((REPO_ROOT / "queries").glob("*.sql"))


def test_every_saved_query_answers_on_the_published_warehouse(settings):
    assert len(QUERIES) >= 5
    run_cli("run", check=True)
    with connect_read_only(settings.analytics_db) as con:
        answers = {path.stem: con.execute(path.read_text()).fetchall() for path in QUERIES}
    empty = [name for name, rows in answers.items() if not rows]
    assert not empty, f"saved queries with no rows on the bundled data: {empty}"
    months = answers["ml_share_by_month"]
    assert len(months) == 40 and all(0 <= row[2] <= 1 for row in months if row[2] is not None)
    bands = {row[0]: row for row in answers["salary_bands_llm_roles"]}
    assert set(bands) == {"llm", "ml_other", "not_ml"}
    assert all(row[2] <= row[3] <= row[5] for row in bands.values()), "p25 <= median <= p75"
