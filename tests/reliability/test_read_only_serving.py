"""Every way the README tells analysts and BI tools to open the warehouse is read-only:
statements that would change it fail with a clear error, and the file is unchanged."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from tests.conftest import CLI
from tests.reliability.hostile import HostileRun, shared_hostile_run

pytestmark = pytest.mark.slow

CHANGES = {
    "create": "create table marts.intruder (x integer)",
    "insert": "insert into marts.dim_skills select * from marts.dim_skills limit 1",
    "drop": "drop table marts.fct_job_postings",
    "update": "update marts.fct_job_postings set company = 'pwned'",
    "delete": "delete from marts.fct_job_postings",
    "alter": "alter table marts.dim_skills add column pwned integer",
    "create_view": "create view marts.v as select 1 as x",
}
# Statements that write other files, which DuckDB's read-only mode alone allows.
FILE_WRITES = {
    "copy_to": "copy (select * from marts.dim_skills) to '{dir}/stolen.csv'",
    "export": "export database '{dir}/exported'",
    "attach_write": "attach '{dir}/other.duckdb' as other (read_write)",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[HostileRun, Path]:
    run = shared_hostile_run(tmp_path_factory)
    return run, run.data_dir / "analytics.duckdb"


@pytest.fixture
def unchanged(warehouse):
    """Asserts after the test that the published file is byte for byte the same."""
    path = warehouse[1]
    before = sha256(path)
    yield path
    assert sha256(path) == before
    assert not path.with_name(path.name + ".wal").exists()


@pytest.mark.parametrize("sql", list(CHANGES.values()), ids=list(CHANGES))
def test_python_read_only_connection_refuses_changes(unchanged, sql):
    with (
        duckdb.connect(str(unchanged), read_only=True) as con,
        pytest.raises(duckdb.Error, match="read-only"),
    ):
        con.execute(sql)


def test_python_read_only_connection_with_external_access_off_writes_no_files(unchanged, tmp_path):
    """README: add ``enable_external_access: False`` to forbid writing other files."""
    config = {"enable_external_access": False}
    with duckdb.connect(str(unchanged), read_only=True, config=config) as con:
        assert con.execute("select count(*) from marts.fct_job_postings").fetchall()[0][0] > 0
        for template in FILE_WRITES.values():
            with pytest.raises(duckdb.Error, match="disabled by configuration"):
                con.execute(template.format(dir=tmp_path))
    assert list(tmp_path.iterdir()) == []


def _cli(run: HostileRun, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ) | {"HS_DATA_DIR": str(run.data_dir), "HS_MODE": "replay"}
    return subprocess.run(
        [str(CLI), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize(
    "sql", [*CHANGES.values(), *FILE_WRITES.values()], ids=[*CHANGES, *FILE_WRITES]
)
def test_query_command_refuses_changes_and_file_writes(warehouse, unchanged, tmp_path, sql):
    result = _cli(warehouse[0], "query", sql.format(dir=tmp_path))
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "query failed:" in message
    assert "read-only" in message
    assert list(tmp_path.iterdir()) == []


def test_shell_refuses_every_change_reports_each_and_exits_1(warehouse, unchanged, tmp_path):
    statements = [*CHANGES.values(), *(t.format(dir=tmp_path) for t in FILE_WRITES.values())]
    script = ";\n".join([*statements, "select count(*) as n from marts.dim_skills"]) + ";\n"
    result = _cli(warehouse[0], "shell", stdin=script)
    assert result.returncode == 1
    errors = " ".join(result.stderr.split())
    assert errors.count("error:") == len(statements)
    assert errors.count("read-only") >= len(statements)
    assert "n" in result.stdout and "1 row" in result.stdout  # the session went on
    assert list(tmp_path.iterdir()) == []


def test_sqlalchemy_read_only_url_refuses_changes(unchanged):
    engine = sa.create_engine(f"duckdb:///{unchanged}?access_mode=read_only")
    try:
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from marts.dim_skills")).scalar_one() > 0
            for sql in CHANGES.values():
                with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                    con.execute(sa.text(sql))
                con.rollback()
    finally:
        engine.dispose()
