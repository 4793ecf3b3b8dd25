"""The Reddit OAuth token is sent to Reddit and nowhere else: never in logs, manifests,
the landing, quarantine, the warehouse, exports or output, and masked in Airflow logs."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import httpx
import pytest

from hiring_signals.settings import REPO_ROOT
from tests.conftest import AIRFLOW, run_airflow
from tests.reliability.hostile import (
    FAKE_REDDIT_TOKEN,
    HostileRun,
    hostile_world,
    pipeline_env,
    shared_hostile_run,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    return shared_hostile_run(tmp_path_factory)


def _duckdb_text_hits(path: Path, needle: str) -> list[str]:
    """Tables and columns of a DuckDB file whose text holds ``needle`` (stored strings
    may be compressed, so the bytes alone prove nothing)."""
    hits = []
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        for schema, table in tables:
            (found,) = con.execute(
                f'select count(*) from "{schema}"."{table}" as t '
                "where contains(cast(t as varchar), ?)",
                [needle],
            ).fetchone()
            if found:
                hits.append(f"{path.name}:{schema}.{table}")
    return hits


def files_holding(root: Path, needle: str) -> list[str]:
    """Every file under ``root`` whose bytes, unzipped text or table contents hold it."""
    raw = needle.encode()
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if raw in data:
            hits.append(str(path.relative_to(root)))
        if path.suffix == ".duckdb":
            hits += _duckdb_text_hits(path, needle)
        if path.suffix == ".parquet":
            (found,) = duckdb.sql(
                "select count(*) from read_parquet(?) as t where contains(cast(t as varchar), ?)",
                params=[str(path), needle],
            ).fetchall()[0]
            if found:
                hits.append(str(path.relative_to(root)))
    return hits


def test_token_is_sent_only_to_reddit(run):
    sent = {
        path: headers.get("Authorization")
        for path, headers in zip(run.requests, run.request_headers, strict=True)
    }
    reddit = {p: h for p, h in sent.items() if p.startswith("/r/")}
    others = {p: h for p, h in sent.items() if not p.startswith("/r/")}
    assert reddit and all(h == f"Bearer {FAKE_REDDIT_TOKEN}" for h in reddit.values())
    assert others and not any(others.values())


def test_token_appears_in_no_output_file_log_or_warehouse(run):
    assert (run.data_dir / "analytics.duckdb").exists()
    assert list((run.data_dir / "landing" / "reddit").rglob("*.manifest.json"))
    assert FAKE_REDDIT_TOKEN not in run.result.stdout + run.result.stderr
    # The data folder: landing, manifests, quarantine, dbt logs and target, warehouse
    # files, exports, report, gate results; and the saved stdout and stderr.
    assert files_holding(run.root, FAKE_REDDIT_TOKEN) == []


LEAKY_DAG = '''"""A task that logs the Reddit token by mistake: Airflow must mask it."""
import logging
import os

import pendulum
from airflow.sdk import dag, task

from hiring_signals.orchestration import load_reddit_token


@dag(schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC"), catchup=False)
def leaky():
    @task
    def log_token():
        load_reddit_token()
        logging.getLogger("careless").warning("token=%s", os.environ["HS_REDDIT_TOKEN"])

    log_token()


leaky()
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _api_server(env: dict[str, str], log: Path) -> Iterator[None]:
    """An Airflow api-server (tasks run by an executor report through it), killed whole."""
    port = env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].split(":")[2].split("/")[0]
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(AIRFLOW), "api-server", "--port", port, "--host", "127.0.0.1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/monitor/health").is_success:
                    break
            assert process.poll() is None, log.read_text()[-3000:]
            time.sleep(1)
        else:
            raise AssertionError(f"api-server not healthy after 180 s: {log.read_text()[-3000:]}")
        yield
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=15)
                break
            except subprocess.TimeoutExpired:
                continue


def _task_log(home: Path, dag_id: str, task_id: str) -> str:
    logs = sorted((home / "logs").glob(f"dag_id={dag_id}/*/task_id={task_id}/attempt=*.log"))
    assert logs, f"no task log of {dag_id}.{task_id}"
    return logs[-1].read_text()


def test_airflow_task_logs_mask_the_token_from_env_or_connection(tmp_path):
    """Tasks run by an executor, as in production: the supervisor writes the task logs."""
    dags = tmp_path / "dags"
    dags.mkdir()
    shutil.copy(REPO_ROOT / "dags" / "hiring_signals_ingest_social.py", dags)
    (dags / "leaky_dag.py").write_text(LEAKY_DAG)
    home = tmp_path / "airflow"
    with hostile_world(tmp_path / "api") as server:
        env = pipeline_env(server, tmp_path / "api" / "world", tmp_path / "data") | {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": (
                f"http://127.0.0.1:{_free_port()}/execution/"
            ),
            "AIRFLOW__API_AUTH__JWT_SECRET": "test-only-secret-for-this-run",
            "AIRFLOW_CONN_HIRING_SIGNALS_REDDIT": (
                f'{{"conn_type": "generic", "password": "{FAKE_REDDIT_TOKEN}"}}'
            ),
            "PATH": f"{AIRFLOW.parent}:{os.environ['PATH']}",
        }
        assert run_airflow(env, "db", "migrate").returncode == 0
        with _api_server(env, tmp_path / "api-server.log"):
            # Token in the environment: a careless log line shows *** instead.
            leak = run_airflow(env, "dags", "test", "leaky", "--use-executor")
            assert leak.returncode == 0, leak.stdout[-3000:]
            # Token from the Airflow connection only: sent to Reddit, never logged.
            from_connection = {k: v for k, v in env.items() if k != "HS_REDDIT_TOKEN"}
            ingest = run_airflow(
                from_connection, "dags", "test", "hiring_signals_ingest_social", "--use-executor"
            )
            assert ingest.returncode == 0, ingest.stdout[-3000:]
        reddit_auth = {
            h.get("Authorization")
            for p, h in zip(server.requests, server.request_headers, strict=True)
            if p.startswith("/r/")
        }
    assert "token=***" in _task_log(home, "leaky", "log_token")
    assert reddit_auth == {f"Bearer {FAKE_REDDIT_TOKEN}"}
    assert "landed 3 records" in _task_log(home, "hiring_signals_ingest_social", "ingest_reddit")
    # Our code never logs the token. (`dags test` also echoes task log lines to its own
    # console before masking, so the deliberate leak above shows there: a debugging
    # command of Airflow, not a task log.)
    assert FAKE_REDDIT_TOKEN not in ingest.stdout
    assert files_holding(home, FAKE_REDDIT_TOKEN) == []
    assert files_holding(tmp_path / "data", FAKE_REDDIT_TOKEN) == []
