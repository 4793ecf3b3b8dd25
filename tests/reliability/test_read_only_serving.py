"""Every way the README tells analysts and BI tools to open the warehouse is read-only:
statements that would change it fail with a clear error, and the file is unchanged."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from hiring_signals.warehouse import ANALYST_CONFIG, analyst_url, connect_for_analysts
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
# What a hostile analyst tried on a read-only file (issue 21), and DuckDB's refusal once
# the session has no external access and locked settings.
NO_FILES = "disabled (by|through) configuration"
LOCKED = "the configuration has been locked"
ATTACKS = {
    "prepared_copy": ("prepare p as copy (select 42) to '{dir}/x.csv'; execute p;", NO_FILES),
    "profiling_output": (
        "pragma enable_profiling='json'; pragma profiling_output='{dir}/x.json'; select 1",
        LOCKED,
    ),
    "read_csv": ("select * from read_csv('/etc/passwd')", NO_FILES),
    "glob": ("select * from glob('/root/*')", NO_FILES),
    "install": ("install httpfs", NO_FILES),
    "load": ("load httpfs", NO_FILES),
    "attach": ("attach '{dir}/other.duckdb' as other", NO_FILES),
    "copy_to": ("copy (select * from marts.dim_skills) to '{dir}/stolen.csv'", NO_FILES),
    "export": ("export database '{dir}/exported'", NO_FILES),
    "set": ("set enable_external_access = true", LOCKED),
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


@pytest.mark.parametrize("attack", list(ATTACKS))
@pytest.mark.parametrize("opener", ["connect_for_analysts", "readme_line"])
def test_python_analyst_connection_refuses_files_and_settings(unchanged, tmp_path, attack, opener):
    sql, refusal = ATTACKS[attack]
    con = (
        connect_for_analysts(unchanged)
        if opener == "connect_for_analysts"
        # The README's one line for Python.
        else duckdb.connect(str(unchanged), read_only=True, config=ANALYST_CONFIG)
    )
    with con, pytest.raises(duckdb.Error, match=refusal):
        con.execute(sql.format(dir=tmp_path))
    assert list(tmp_path.iterdir()) == []


def _cli(run: HostileRun, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ) | {"HS_DATA_DIR": str(run.data_dir), "HS_MODE": "replay"}
    return subprocess.run(
        [str(CLI), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize("sql", list(CHANGES.values()), ids=list(CHANGES))
def test_query_command_refuses_changes(warehouse, unchanged, sql):
    result = _cli(warehouse[0], "query", sql)
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "query failed:" in message
    assert "read-only" in message


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_query_command_refuses_files_and_settings_and_says_how_to_save(
    warehouse, unchanged, tmp_path, attack
):
    sql, refusal = ATTACKS[attack]
    result = _cli(warehouse[0], "query", sql.format(dir=tmp_path))
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert message.startswith("query failed:")
    assert re.search(refusal, message)
    if refusal == NO_FILES:
        assert "--format csv|json|parquet -o FILE" in message
    assert list(tmp_path.iterdir()) == []


def test_shell_refuses_every_attack_reports_each_and_exits_1(warehouse, unchanged, tmp_path):
    statements = [*CHANGES.values(), *(sql.format(dir=tmp_path) for sql, _ in ATTACKS.values())]
    script = "\n".join(
        [*(s.rstrip(";") + ";" for s in statements), "select count(*) as n from marts.dim_skills;"]
    )
    result = _cli(warehouse[0], "shell", stdin=script + "\n")
    assert result.returncode == 1
    errors = " ".join(result.stderr.split())
    assert errors.count("error:") == len(statements)
    assert errors.count("read-only") >= len(CHANGES)
    assert len(re.findall(NO_FILES, errors)) == sum(r == NO_FILES for _, r in ATTACKS.values())
    assert errors.count(LOCKED) == sum(r == LOCKED for _, r in ATTACKS.values())
    assert "n" in result.stdout and "1 row" in result.stdout  # the session went on
    assert list(tmp_path.iterdir()) == []


def test_sqlalchemy_read_only_url_refuses_changes(unchanged):
    engine = sa.create_engine(analyst_url(unchanged))
    try:
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from marts.dim_skills")).scalar_one() > 0
            for sql in CHANGES.values():
                with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                    con.execute(sa.text(sql))
                con.rollback()
    finally:
        engine.dispose()


def test_sqlalchemy_url_refuses_files_and_settings(unchanged, tmp_path):
    """The README's one-line URL for BI tools carries the same protection."""
    engine = sa.create_engine(analyst_url(unchanged))
    try:
        with engine.connect() as con:
            for attack, (sql, refusal) in ATTACKS.items():
                # SQLAlchemy runs one statement per call: the prepared copy runs as two.
                for statement in filter(None, (s.strip() for s in sql.split(";"))):
                    try:
                        con.execute(sa.text(statement.format(dir=tmp_path)))
                    except sa.exc.DBAPIError as exc:
                        assert re.search(refusal, str(exc)), attack
                        con.rollback()
                        break
                else:
                    pytest.fail(f"{attack} was not refused")
    finally:
        engine.dispose()
    assert list(tmp_path.iterdir()) == []
