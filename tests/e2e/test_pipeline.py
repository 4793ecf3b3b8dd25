"""The whole pipeline through the CLI, on the bundled real data, in a fresh data folder."""

import gzip
import html
import json
import os
import time

import duckdb
import pytest

from hiring_signals.answer_view import ROLE_NAMES
from hiring_signals.warehouse import connect_read_only, mart_checksums
from tests.conftest import file_sha256, land_future_posting, run_cli

pytestmark = pytest.mark.slow


def landing_files(settings) -> set[str]:
    return {
        str(p.relative_to(settings.landing_dir))
        for p in settings.landing_dir.rglob("*")
        if p.is_file()
    }


def published_rows(settings, sql: str):
    with connect_read_only(settings.analytics_db) as con:
        return con.execute(sql).fetchall()


def test_run_answers_the_question_and_a_rerun_changes_nothing(published_run, published_copy):
    first = published_run.result
    settings = published_copy  # the first run's folder, copied: the rerun changes only it

    # 4,560 comments and the 13 threads' sizes.
    assert "ingest hn_whoishiring: 4573 new records" in first.stdout
    assert "2025-11 missing, 2025-12 missing, 2026-03 partial" in first.stdout
    assert "2025-04 partial" in first.stdout
    # The printed headline and the report read the verdict mart of the snapshot.
    verdicts = published_rows(
        settings, "select subject, baseline, verdict from marts.fct_hiring_verdict"
    )
    assert len(verdicts) == 20  # 6 estimated shares, 6 flagged shares, 8 volumes
    printed = " ".join(first.stdout.split())
    report = html.unescape((settings.data_dir / "reports" / "answer.html").read_text())
    estimated = published_rows(
        settings,
        "select family, value_now, value_before from marts.fct_hiring_verdict "
        "where measure = 'estimated_share' and baseline = 'previous 6 months'",
    )
    assert len(estimated) == 3
    for family, now, before in estimated:
        sentence = f"{ROLE_NAMES[family]}: {now:.1%} of postings"
        assert sentence in printed and sentence in report
        assert f"vs {before:.1%} six months earlier" in printed
    for _subject, _baseline, verdict in verdicts:
        assert verdict in report
    assert "all comments in the HN threads (real final thread sizes" in report
    counts = dict(
        published_rows(
            settings, "select source_name, count(*) from marts.fct_job_postings group by 1"
        )
    )
    # Live comments only: the fixture's threads hold 37 dead, flagged or deleted ones.
    # Job boards: every posting of the replayed days (Anthropic 181, Perplexity 79,
    # Runway 16, OpenAI 319) and the trimmed real answers (two jobs each).
    assert counts == {
        "hn_whoishiring": 4523,
        "greenhouse": 181 + 79 + 16 + 2,
        "lever": 2,
        "ashby": 319 + 2,
    }
    social = published_rows(
        settings, "select distinct source_name from marts.fct_social_signal_monthly order by 1"
    )
    assert social == [("hn_discussions",), ("reddit",)]
    files_after_first = landing_files(settings)
    with connect_read_only(settings.analytics_db) as con:
        checksums_first = mart_checksums(con)

    second = run_cli("run", check=True)

    assert "nothing new, no batch written" in second.stdout
    assert landing_files(settings) == files_after_first
    with connect_read_only(settings.analytics_db) as con:
        assert mart_checksums(con) == checksums_first
        internal = con.execute(
            "select count(*) from information_schema.schemata "
            "where schema_name in ('staging', 'intermediate')"
        ).fetchone()
        assert internal == (0,), "internal schemas are not published"


def test_corrupted_landing_line_is_quarantined_and_the_good_rows_publish(settings):
    run_cli("ingest", check=True)
    batch = next((settings.landing_dir / "hn_whoishiring").rglob("*.jsonl.gz"))
    lines = gzip.decompress(batch.read_bytes()).decode().splitlines(keepends=True)
    lines[41] = lines[41][: len(lines[41]) // 2] + "\n"  # a torn line, as after a bad copy
    batch.write_bytes(gzip.compress("".join(lines).encode()))

    result = run_cli("run", check=True)

    relative = batch.relative_to(settings.landing_dir)
    assert f"QUARANTINED hn_whoishiring {relative} line 42 field <line>: invalid JSON" in (
        " ".join(result.stderr.split())
    )
    quarantined = settings.quarantine_dir / "hn_whoishiring" / batch.name.replace(".gz", "")
    assert json.loads(quarantined.read_text())["line"] == 42
    assert published_rows(
        settings,
        "select count(*) from marts.fct_job_postings where ingest_method = 'thread_comments'",
    ) == [(4523 - 1,)]


def test_failed_quality_gate_blocks_publish_and_keeps_the_old_database(published_copy):
    settings = published_copy
    before = file_sha256(settings.analytics_db)
    land_future_posting(settings.landing_dir)

    result = run_cli("run")

    assert result.returncode == 1
    assert "publish blocked" in result.stderr
    assert "months_ahead_of_today" in result.stderr
    assert file_sha256(settings.analytics_db) == before
    gate_results = sorted(settings.quality_dir.glob("gate-*.json"))
    assert json.loads(gate_results[-1].read_text())["success"] is False

    alone = run_cli("publish")
    assert alone.returncode == 1 and "last quality gate failed" in alone.stderr
    assert file_sha256(settings.analytics_db) == before


def test_publish_refuses_marts_changed_after_validation_but_not_a_touched_file(published_copy):
    settings = published_copy
    # A newer file with the same marts (publish's own checkpoint does this, and a publish
    # killed after it used to block every later publish until `check` ran again).
    later = time.time() + 60
    os.utime(settings.build_db, (later, later))
    assert run_cli("publish").returncode == 0

    with duckdb.connect(str(settings.build_db)) as con:
        con.execute(
            "update marts.fct_job_postings set is_ml = not is_ml "
            "where posting_id = (select min(posting_id) from marts.fct_job_postings)"
        )
    before = file_sha256(settings.analytics_db)
    refused = run_cli("publish")

    assert refused.returncode == 1
    assert "changed after its last validation (marts fct_job_postings)" in refused.stderr
    assert file_sha256(settings.analytics_db) == before
    assert not list(settings.analytics_db.parent.glob(".*.publishing*"))


def test_query_reads_the_published_database_read_only(published):
    out = run_cli(
        "query",
        "select count(*) as n from marts.fct_ml_hiring_monthly",
        "--format",
        "json",
        check=True,
    )
    assert json.loads(out.stdout)[0]["n"] > 0
    evaluated = run_cli("evaluate", check=True)
    assert "title" in evaluated.stdout and "test" in evaluated.stdout
    refused = run_cli("query", "create table marts.x as select 1")
    assert refused.returncode == 1 and "read-only" in refused.stderr.lower()
