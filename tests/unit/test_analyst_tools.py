"""The shell, the Parquet export and `query --format parquet` on a small real warehouse
file laid out like the published one (marts + meta.snapshots)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

from hiring_signals import export as export_mod
from hiring_signals.cli import app
from hiring_signals.export import export_marts, parquet_glob
from hiring_signals.shell import Shell, statement_complete
from hiring_signals.warehouse import connect_read_only


def make_warehouse(path: Path, snapshot_id: str, postings: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema meta")
        con.execute(
            "create table marts.fct_job_postings as select 'p' || i as posting_id, "
            "cast(date '2025-01-01' + to_months(cast(i % 3 as integer)) as date) as posting_month, "
            "i % 2 = 0 as is_ml from range(?) as t(i)",
            [postings],
        )
        con.execute("create table marts.dim_skills as select 'pytorch' as skill, 'dl' as family")
        con.execute(
            "create table meta.snapshots as select ? as snapshot_id, now() as published_at",
            [snapshot_id],
        )


@pytest.fixture
def warehouse(settings):
    make_warehouse(settings.analytics_db, "aaaa", 10)
    return settings


# The shell ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("select 1;", True),
        ("select 1", False),
        ("select 1;  -- done", True),
        ("select ';'", False),
        ("select 'it''s;'", False),
        ("select 'it''s';", True),
        ('select 1 as "a;"', False),
        ("select 1 -- not yet;", False),
        ("select /* ; */ 1", False),
        ("select /* open ;", False),
        ("select 1;\nselect 2", False),
        ("select 1;\nselect 2;\n", True),
    ],
)
def test_a_statement_ends_with_a_semicolon_outside_quotes_and_comments(text, complete):
    assert statement_complete(text) is complete


def run_shell_lines(path: Path, *lines: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    with connect_read_only(path) as con:
        shell = Shell(con, Console(file=out, width=200), Console(file=err, width=200))
        shell.run(lines)
    return out.getvalue(), err.getvalue(), shell.errors


def test_shell_runs_multi_line_statements_and_commands(warehouse):
    out, err, errors = run_shell_lines(
        warehouse.analytics_db,
        ".tables",
        "select posting_month, count(*) as n",
        "from marts.fct_job_postings",
        "group by 1 order by 1; select 42 as answer;",
        ".schema fct_job_postings",
        ".quit",
        "select 'after quit';",
    )
    assert errors == 0, err
    assert "marts.dim_skills" in out and "meta.snapshots" in out
    assert "2025-01-01" in out and "2025-03-01" in out and "3 rows" in out
    assert "42" in out
    assert "posting_month" in out and "DATE" in out and "BOOLEAN" in out
    assert "after quit" not in out


def test_shell_prints_errors_refuses_writes_and_goes_on(warehouse):
    out, err, errors = run_shell_lines(
        warehouse.analytics_db,
        "insert into marts.dim_skills values ('jax', 'dl');",
        "select nonsense from;",
        ".schema no_such_table",
        ".frobnicate",
        "select count(*) as skills from marts.dim_skills",  # the script's last line, no ';'
    )
    assert errors == 4
    assert "open read-only" in " ".join(err.split())
    assert "no table no_such_table" in err and "unknown command .frobnicate" in err
    assert "skills" in out and "1 row" in out
    with connect_read_only(warehouse.analytics_db) as con:
        assert con.execute("select count(*) from marts.dim_skills").fetchall() == [(1,)]


def test_shell_caps_long_results(warehouse):
    make_warehouse(warehouse.analytics_db, "bbbb", 500)
    out, _, _ = run_shell_lines(warehouse.analytics_db, "select * from marts.fct_job_postings;")
    assert "first 200 rows shown" in out
    assert "p199" in out and "p200 " not in out


# The export --------------------------------------------------------------------------------


def test_export_writes_each_mart_and_names_its_snapshot(warehouse):
    result = export_marts(warehouse)

    export = warehouse.data_dir / "export"
    assert result.path == export and result.snapshot_id == "aaaa"
    manifest = json.loads((export / "_snapshot.json").read_text())
    assert manifest["snapshot_id"] == "aaaa"
    assert manifest["tables"]["fct_job_postings"] == {
        "rows": 10,
        "path": "fct_job_postings/",
        "partitioned_by": "posting_month",
    }
    partitions = sorted(p.name for p in (export / "fct_job_postings").iterdir())
    assert partitions == [f"posting_month=2025-0{m}-01" for m in (1, 2, 3)]
    assert (export / "dim_skills" / "data.parquet").is_file()
    rows = duckdb.sql(
        f"select count(*) from read_parquet('{parquet_glob(export / 'fct_job_postings')}', "
        "hive_partitioning = true)"
    ).fetchall()
    assert rows == [(10,)]


def test_a_new_export_replaces_the_old_one_whole(warehouse):
    first = export_marts(warehouse)
    make_warehouse(warehouse.analytics_db, "bbbb", 20)
    second = export_marts(warehouse)
    make_warehouse(warehouse.analytics_db, "cccc", 30)
    third = export_marts(warehouse)

    export = warehouse.data_dir / "export"
    assert json.loads((export / "_snapshot.json").read_text())["snapshot_id"] == "cccc"
    assert export.is_symlink() and export.resolve() == third.version.resolve()
    # The export before stays for readers still busy with it; older ones go.
    assert second.version.is_dir() and not first.version.exists()
    assert sorted(p.name for p in (warehouse.data_dir / ".export-versions").iterdir()) == sorted(
        [second.version.name, third.version.name]
    )


def test_a_failed_export_leaves_the_published_export_alone(warehouse, monkeypatch):
    export_marts(warehouse)
    make_warehouse(warehouse.analytics_db, "bbbb", 20)
    writes = []

    def write_then_fail(con, table, target):
        if writes:
            raise OSError("disk full")
        writes.append(table)
        return real_write(con, table, target)

    real_write = export_mod._write_table
    monkeypatch.setattr(export_mod, "_write_table", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        export_marts(warehouse)

    export = warehouse.data_dir / "export"
    assert json.loads((export / "_snapshot.json").read_text())["snapshot_id"] == "aaaa"
    versions = warehouse.data_dir / ".export-versions"
    assert [p.name for p in versions.iterdir() if p.name.startswith(".")] == [], "no leftovers"


def test_export_will_not_replace_a_directory_it_did_not_make(warehouse):
    (warehouse.data_dir / "export").mkdir()
    (warehouse.data_dir / "export" / "mine.txt").write_text("keep me")

    result = CliRunner().invoke(app, ["export"])

    assert result.exit_code == 1
    assert "not an export link" in " ".join(result.output.split())
    assert (warehouse.data_dir / "export" / "mine.txt").read_text() == "keep me"
    assert not (warehouse.data_dir / ".export-versions").exists(), "nothing written"


# query --format parquet ----------------------------------------------------------------


def test_query_parquet_needs_an_output_file(warehouse):
    result = CliRunner().invoke(app, ["query", "select 1", "--format", "parquet"])
    assert result.exit_code == 2
    assert "-o/--output FILE" in " ".join(result.output.split())


def test_query_writes_parquet_and_a_bad_query_exits_1(warehouse, tmp_path):
    out = tmp_path / "postings.parquet"
    sql = "select posting_month, count(*) as n from marts.fct_job_postings group by 1"
    result = CliRunner().invoke(app, ["query", sql, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 rows" in result.output
    assert duckdb.sql(f"select sum(n) from read_parquet('{out}')").fetchall() == [(10,)]

    bad = CliRunner().invoke(
        app, ["query", "select * from nowhere", "--format", "parquet", "-o", str(out)]
    )
    assert bad.exit_code == 1
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")], "no partial file left"


def test_query_writes_csv_to_a_file(warehouse, tmp_path):
    out = tmp_path / "skills.csv"
    result = CliRunner().invoke(
        app, ["query", "select * from marts.dim_skills", "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == ["skill,family", "pytorch,dl"]
