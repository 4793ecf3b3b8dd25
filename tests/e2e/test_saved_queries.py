"""Every saved analyst query in queries/ runs against a freshly published warehouse, and
the ones rewritten over pre-aggregated marts answer exactly as their per-posting
formulations (benchmarks/per_posting_queries/) did."""

import re

import pytest

from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only

pytestmark = pytest.mark.slow

QUERIES = sorted((REPO_ROOT / "queries").glob("*.sql"))
PER_POSTING = sorted((REPO_ROOT / "benchmarks" / "per_posting_queries").glob("*.sql"))
# Marts with a row per posting (or per posting and skill): a query over them grows with
# the history, which is what the saved queries must not do.
PER_POSTING_MARTS = re.compile(r"\bmarts\.(fct_job_postings|fct_posting_skills)\b")


def test_every_saved_query_answers_on_the_published_warehouse(published):
    assert len(QUERIES) >= 5
    with connect_read_only(published.analytics_db) as con:
        answers = {path.stem: con.execute(path.read_text()).fetchall() for path in QUERIES}
    empty = [name for name, rows in answers.items() if not rows]
    assert not empty, f"saved queries with no rows on the bundled data: {empty}"
    months = answers["ml_share_by_month"]
    # June 2020 to March 2026, gap-free (months without a thread are rows too).
    assert len(months) == 70 and all(0 <= row[2] <= 1 for row in months if row[2] is not None)
    bands = {row[0]: row for row in answers["salary_bands_llm_roles"]}
    assert set(bands) == {"llm", "ml_other", "not_ml"}
    assert all(row[2] <= row[3] <= row[5] for row in bands.values()), "p25 <= median <= p75"


def test_no_saved_query_reads_a_per_posting_mart():
    readers = [path.name for path in QUERIES if PER_POSTING_MARTS.search(path.read_text())]
    assert not readers, f"saved queries scanning every posting: {readers}"


@pytest.mark.parametrize("reference", PER_POSTING, ids=lambda path: path.stem)
def test_saved_query_gives_the_rows_of_its_per_posting_formulation(published, reference):
    saved = REPO_ROOT / "queries" / reference.name
    assert saved.exists(), f"{reference.name} has no saved query of that name"
    with connect_read_only(published.analytics_db) as con:
        expected = con.execute(reference.read_text())
        expected_columns = [(d[0], str(d[1])) for d in expected.description]
        expected_rows = expected.fetchall()
        actual = con.execute(saved.read_text())
        actual_columns = [(d[0], str(d[1])) for d in actual.description]
        actual_rows = actual.fetchall()
    assert expected_rows, "the comparison would prove nothing on an empty answer"
    assert actual_columns == expected_columns
    # Same order too: both sort, and the top-25 cut must keep the same companies.
    assert actual_rows == expected_rows
