"""Hostile and broken records through the real ingest, dbt build, gate and publish.

Every case of ``tests/fixtures/hostile/corpus.json`` (plus the generated huge ones) must
end as a published row with the right values, or in quarantine with a reason naming its
source, record and field; the good rows are published and nothing crashes.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import duckdb
import pytest

from hiring_signals.landing import iter_records
from tests.conftest import CLI
from tests.e2e.test_report_browser import chromium
from tests.reliability.hostile import TEN_MB, HostileRun, all_cases, shared_hostile_run

pytestmark = pytest.mark.slow
CASES = all_cases()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    return shared_hostile_run(tmp_path_factory)


@pytest.fixture(scope="module")
def published(run: HostileRun) -> dict[str, dict[str, Any]]:
    with duckdb.connect(str(run.data_dir / "analytics.duckdb"), read_only=True) as con:
        cursor = con.execute("select * from marts.fct_job_postings")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


@pytest.fixture(scope="module")
def staged_reddit(run: HostileRun) -> set[str]:
    with duckdb.connect(str(run.data_dir / "build.duckdb"), read_only=True) as con:
        return {
            r[0] for r in con.execute("select item_id from staging.stg_reddit__posts").fetchall()
        }


@pytest.fixture(scope="module")
def quarantine(run: HostileRun) -> list[dict[str, Any]]:
    entries = []
    for path in sorted((run.data_dir / "quarantine").glob("*/*.jsonl")):
        with path.open(encoding="utf-8", errors="surrogateescape") as lines:
            entries += [json.loads(line) for line in lines]
    return entries


@pytest.fixture(scope="module")
def landed_hn(run: HostileRun) -> dict[Any, dict[str, Any]]:
    """Landed HN comment records by id."""
    landed = {}
    for path in (run.data_dir / "landing" / "hn_whoishiring").rglob("*.jsonl.gz"):
        for _, line in iter_records(path):
            record = json.loads(line)
            if record.get("type") == "comment":
                landed[record["id"]] = record
    return landed


def posting_id(case: dict[str, Any]) -> str:
    if case["source"] == "hn_whoishiring":
        return f"hn-{case['key']}"
    return f"{case['source']}-hostile-{case['key']}"


def _raw(entry: dict[str, Any]) -> Any:
    try:
        return json.loads(entry["raw"])
    except (json.JSONDecodeError, TypeError, RecursionError):
        return None  # the body that could not be read stays as text


def is_entry_of(case: dict[str, Any], entry: dict[str, Any]) -> bool:
    """Whether a quarantine entry holds this case's record."""
    if entry["source"] != case["source"]:
        return False
    if "raw" in case:  # a response that never parsed: its URL names the item
        return entry.get("url", "").endswith(f"/item/{case['key']}.json")
    raw, payload = _raw(entry), case["payload"]
    if not isinstance(raw, dict):
        return False
    if case["source"] == "hn_whoishiring":  # fetched item, or landed line
        text = raw.get("text_html") if "thread_id" in raw else raw.get("text")
        # A comment without text (deleted) is told by its id.
        return text == payload.get("text") and (text is not None or raw.get("id") == case["key"])
    return raw.get("_case") == case["case"]


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_hostile_record_is_published_correctly_or_quarantined_naming_its_field(
    case, published, staged_reddit, quarantine, landed_hn
):
    entries = [e for e in quarantine if is_entry_of(case, e)]
    if case["expect"] == "quarantined":
        assert entries, f"{case['case']}: not in quarantine"
        entry = entries[0]
        assert entry["field"] == case["field"], entry
        assert entry["reason"].strip()
        # The record is named: by URL and raw body (fetch) or by landing file and line.
        assert entry.get("url") or (entry.get("file") and entry.get("line")), entry
        return
    assert not entries, f"{case['case']} was quarantined: {entries}"
    if case["expect"] == "staged":
        assert case["key"] in staged_reddit
        return
    if case["expect"] == "landed":  # kept with its status, out of the marts
        assert posting_id(case) not in published
        record = landed_hn[case["key"]]
        for column, expected in case["checks"].items():
            assert record[column] == expected, column
        return
    row = published.get(posting_id(case))
    assert row is not None, f"{case['case']}: {posting_id(case)} not published"
    for column, expected in case["checks"].items():
        actual = _value(row[column])
        if isinstance(expected, float | int) and not isinstance(expected, bool):
            assert actual == pytest.approx(expected), column
        else:
            assert actual == expected, column


def test_hostile_run_publishes_the_good_rows_and_exits_cleanly(run, published):
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert "publish: snapshot" in run.result.stdout
    wanted = {posting_id(c) for c in CASES if c["expect"] == "published"}
    assert wanted <= set(published)
    # Nothing but the corpus was published: no row from a quarantined record slipped in.
    assert set(published) == wanted


def test_quarantine_messages_name_source_record_and_field(run):
    err = " ".join(run.result.stderr.split())  # rich wraps long lines
    assert "greenhouse:hostile: job 7000010 quarantined: first_published: date 2099-01-01" in err
    assert "lever:hostile: job 'lev-0004' quarantined: createdAt: date 1970-01-01" in err
    assert "hn_whoishiring: comment 90000202 quarantined: <response>: body is JSON nested" in err
    assert (
        "hn_whoishiring: comment 90000120 quarantined: id: item 90000120 answered with id "
        "90000119 (duplicate id)"
    ) in err
    assert (
        "greenhouse:hostile: job 7000008 quarantined: id: duplicate id with different content "
        "in the same answer"
    ) in err
    assert "reddit r/hostile: post 'r0004' quarantined: created_utc: date 2099-01-01" in err
    assert "QUARANTINED hn_whoishiring hn_whoishiring/dt=" in err
    assert "field time: Input should be a valid integer, got str" in err


def test_report_of_hostile_data_runs_no_script_in_chromium(run, tmp_path):
    page_file = run.data_dir / "reports" / "answer.html"
    with chromium(tmp_path) as page:
        page.open(page_file.as_uri(), 1440)
        assert page.evaluate("document.title") == "Have ML / deep-learning jobs collapsed?"
        assert page.evaluate("document.querySelectorAll('#verdict .headline').length") == 3
        # Only the report's own scripts (the Vega bundle, the embed code, four chart specs).
        assert page.evaluate("document.scripts.length") == 6
        assert page.evaluate("document.querySelectorAll('[onerror], [onload]').length") == 0


def _query(run: HostileRun, sql: str, *args: str, stdin: str | None = None) -> str:
    env = dict(os.environ) | {"HS_DATA_DIR": str(run.data_dir), "HS_MODE": "replay"}
    result = subprocess.run(
        [str(CLI), *([sql] if sql else []), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("how", ["query", "shell"])
def test_cli_prints_scraped_text_literally_without_terminal_escapes(run, how):
    sql = (
        "select company from marts.fct_job_postings "
        "where posting_id in ('hn-90000122', 'hn-90000123', 'hn-90000102')"
    )
    out = (
        _query(run, "", "query", sql)
        if how == "query"
        else _query(run, "", "shell", stdin=sql + ";\n")
    )
    flat = "".join(out.split())
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;pwned\\x07\\x1b[31mRedCo" in flat
    assert "[boldred]MarkupCo[/boldred]" in flat
    assert "<script>alert(document.cookie)</script>Corp" in flat


def test_huge_bodies_are_cut_for_the_models_but_land_whole(published, landed_hn):
    assert len(published["hn-90000201"]["full_text"]) == 100_000
    assert published["hn-90000201"]["company"] == "Huge Co"
    assert len(landed_hn[90000201]["text_html"]) > TEN_MB
