"""Analyst access to the warehouse published by `hiring-signals run`: the Parquet export,
`query --format parquet` and the `shell`, all through the real CLI."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from hiring_signals.export import PARTITIONED, parquet_glob
from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only
from tests.conftest import CLI, run_cli

pytestmark = pytest.mark.slow


def mart_rows(settings) -> dict[str, int]:
    with connect_read_only(settings.analytics_db) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        return {
            name: con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            for (name,) in tables
        }


def test_run_exports_every_mart_as_parquet_of_the_published_snapshot(published):
    export = published.data_dir / "export"
    with connect_read_only(published.analytics_db) as con:
        (snapshot_id,) = con.execute("select snapshot_id from meta.snapshots").fetchone()
    manifest = json.loads((export / "_snapshot.json").read_text())
    assert manifest["snapshot_id"] == snapshot_id

    expected = mart_rows(published)
    assert len(expected) >= 13
    assert set(manifest["tables"]) == set(expected)
    reader = duckdb.connect()
    for table, rows in expected.items():
        (in_parquet,) = reader.execute(
            "select count(*) from read_parquet(?, hive_partitioning = true)",
            [parquet_glob(export / table)],
        ).fetchone()
        assert in_parquet == rows == manifest["tables"][table]["rows"], table

    # Large fact tables are split hive-style by month, and the month comes back typed.
    months = sorted(p.name for p in (export / "fct_job_postings").iterdir())
    assert "posting_month=2025-10-01" in months and "posting_month=2026-03-01" in months
    assert PARTITIONED["fct_job_postings"] == "posting_month"
    by_month = reader.execute(
        "select posting_month, count(*) from read_parquet(?, hive_partitioning = true) "
        "where posting_month = date '2026-01-01' group by 1",
        [parquet_glob(export / "fct_job_postings")],
    ).fetchall()
    with connect_read_only(published.analytics_db) as con:
        assert (
            by_month
            == con.execute(
                "select posting_month, count(*) from marts.fct_job_postings "
                "where posting_month = date '2026-01-01' group by 1"
            ).fetchall()
        )
    assert list((export / "dim_skills").iterdir()) == [export / "dim_skills" / "data.parquet"]


def test_query_writes_parquet_only_to_a_named_file(published, tmp_path):
    missing = run_cli("query", "select 1", "--format", "parquet")
    assert missing.returncode != 0
    assert "-o/--output FILE" in " ".join(missing.stderr.split())

    out = tmp_path / "ml_by_month.parquet"
    sql = (
        "select posting_month, count(*) filter (where is_ml) as ml_postings "
        "from marts.fct_job_postings group by 1 order by 1"
    )
    result = run_cli("query", sql, "--format", "parquet", "-o", str(out), check=True)
    with connect_read_only(published.analytics_db) as con:
        expected = con.execute(sql).fetchall()
    assert f"{len(expected)} rows" in result.stdout
    assert duckdb.sql(f"select * from read_parquet('{out}') order by 1").fetchall() == expected

    bad = run_cli(
        "query", "select * from marts.no_such_table", "--format", "parquet", "-o", str(out)
    )
    assert bad.returncode == 1 and "no_such_table" in bad.stderr
    assert duckdb.sql(f"select count(*) from read_parquet('{out}')").fetchall() == [
        (len(expected),)
    ], "a failed query leaves the earlier file alone"


def shell(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "shell"],
        input=script,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )


def test_shell_on_the_published_warehouse(published):
    script = "\n".join(
        [
            ".tables",
            ".schema fct_ml_hiring_monthly",
            "select count(*) as ml_postings",
            "from marts.fct_job_postings",
            "where is_ml and posting_month >= date '2026-01-01';",
            "select snapshot_id from meta.snapshots;",
            ".quit",
            "select 'never run';",
        ]
    )
    result = shell(script)

    assert result.returncode == 0, result.stderr
    assert "marts.fct_job_postings" in result.stdout and "meta.snapshots" in result.stdout
    assert "ml_share" in result.stdout and "DOUBLE" in result.stdout
    with connect_read_only(published.analytics_db) as con:
        (ml,) = con.execute(
            "select count(*) from marts.fct_job_postings "
            "where is_ml and posting_month >= date '2026-01-01'"
        ).fetchone()
        (snapshot_id,) = con.execute("select snapshot_id from meta.snapshots").fetchone()
    assert f"│ {ml} " in result.stdout
    assert snapshot_id in result.stdout
    assert "never run" not in result.stdout


def test_shell_refuses_writes_and_goes_on_after_errors(published):
    result = shell(
        "drop table marts.fct_job_postings;\n"
        "select * from marts.no_such_table;\n"
        "select count(*) as postings from marts.fct_job_postings;\n"
    )

    assert result.returncode == 1, "a piped session with a failed statement exits 1"
    errors = " ".join(result.stderr.split())
    assert "open read-only" in errors
    assert "no_such_table" in errors
    assert "postings" in result.stdout and "1 row" in result.stdout
    assert "fct_job_postings" in mart_rows(published)


def test_saved_query_benchmark_reports_percentiles_for_every_query(published, tmp_path):
    out = tmp_path / "latency.json"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "benchmarks" / "saved_queries.py"),
            "--runs",
            "3",
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert json.loads(result.stdout) == report
    assert set(report["queries"]) == {p.stem for p in (REPO_ROOT / "queries").glob("*.sql")}
    for name, q in report["queries"].items():
        assert q["rows"] > 0, name
        assert 0 < q["p50_ms"] <= q["p95_ms"] <= q["max_ms"], name
    with connect_read_only(published.analytics_db) as con:
        (snapshot_id,) = con.execute("select snapshot_id from meta.snapshots").fetchone()
    assert report["snapshot_id"] == snapshot_id


def dbt_invocations_by_command(log: Path) -> dict[str, str]:
    """Command -> invocation id, from dbt's log (each invocation opens with a banner)."""
    invocations, current = {}, None
    for line in log.read_text().splitlines():
        if banner := re.match(r"^=+ [\d:.]+ \| ([0-9a-f-]{36}) =+$", line):
            current = banner[1]
        elif command := re.search(r"Command `dbt ([a-z ]+)` succeeded", line):
            invocations[command[1]] = current
    return invocations


def test_snapshot_names_the_batches_dbt_runs_and_gate_run_behind_it(published):
    invocations = dbt_invocations_by_command(published.data_dir / "dbt" / "logs" / "dbt.log")
    gate = json.loads(sorted(published.quality_dir.glob("gate-*.json"))[-1].read_text())
    landed = sorted(
        p.name.removesuffix(".manifest.json")
        for p in published.landing_dir.glob("*/dt=*/*.manifest.json")
    )
    with connect_read_only(published.analytics_db) as con:
        batch_ids, dbt_runs, gate_run = con.execute(
            "select batch_ids, dbt_invocation_ids, gate_run_id from meta.snapshots"
        ).fetchone()
        unpublished = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema not in ('marts', 'seeds') and table_name <> 'snapshots'"
        ).fetchone()[0]
    # `run` builds everything in one `dbt build`, so that invocation built the snapshot.
    assert dbt_runs == [invocations["build"]]
    assert gate_run == gate["run_id"] and gate["success"]
    assert sorted(batch_ids) == landed
    assert unpublished == 0
