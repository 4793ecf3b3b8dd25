"""A real Airflow deployment on this machine: the asset graph drives the pipeline.

Starts an api-server (Airflow 3 tasks report through its execution API), a scheduler
(LocalExecutor) and a dag-processor on a temporary AIRFLOW_HOME with SQLite, each in its
own process group, triggers only the HN ingest DAG, and waits for the transform DAG
(scheduled on the landing assets) and the report DAG (scheduled on the analytics asset)
to run. The process groups are always killed, whatever happens.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only
from tests.conftest import AIRFLOW, run_airflow

pytestmark = pytest.mark.slow
# Hang bounds, several times the measured durations: the DAGs register in ~15 s; the
# ingest, transform and report runs take ~2 min under the scheduler.
REGISTER_TIMEOUT_S = 120
PIPELINE_TIMEOUT_S = 900
DAGS_UNDER_TEST = ("hiring_signals_ingest_hn", "hiring_signals_transform", "hiring_signals_report")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dag_runs(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as con:
        rows = con.execute("select dag_id, state from dag_run order by id").fetchall()
    runs: dict[str, list[str]] = {}
    for dag_id, state in rows:
        runs.setdefault(dag_id, []).append(state)
    return runs


def test_triggering_ingest_runs_transform_and_report_through_asset_events(tmp_path):
    home, data, logs = tmp_path / "airflow", tmp_path / "data", tmp_path / "logs"
    logs.mkdir()
    port = free_port()
    env = dict(
        os.environ,
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(REPO_ROOT / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__EXECUTOR="LocalExecutor",
        AIRFLOW__CORE__PARALLELISM="2",
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{port}/execution/",
        AIRFLOW__API_AUTH__JWT_SECRET="test-only-secret-for-this-run",
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5",
        AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC="2",
        HS_DATA_DIR=str(data),
        HS_MODE="replay",
        DO_NOT_TRACK="1",
        PATH=f"{AIRFLOW.parent}:{os.environ['PATH']}",
    )

    def airflow(*args: str) -> subprocess.CompletedProcess:
        return run_airflow(env, *args, timeout_s=120)  # each takes 3-10 s

    assert airflow("db", "migrate").returncode == 0
    assert airflow("pools", "set", "duckdb_writer", "1", "single writer").returncode == 0
    services = []
    try:
        for name, args in (
            ("api-server", ["api-server", "--port", str(port), "--host", "127.0.0.1"]),
            ("scheduler", ["scheduler"]),
            ("dag-processor", ["dag-processor"]),
        ):
            log = (logs / f"{name}.log").open("w")
            services.append(
                subprocess.Popen(
                    [str(AIRFLOW), *args],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + REGISTER_TIMEOUT_S
        while True:  # wait for the dag-processor to register our DAGs
            listed = airflow("dags", "list", "--output", "plain")
            if all(dag_id in listed.stdout for dag_id in DAGS_UNDER_TEST):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the dag-processor registered no DAGs in {REGISTER_TIMEOUT_S} s")
            time.sleep(3)
        for dag_id in DAGS_UNDER_TEST:
            assert airflow("dags", "unpause", dag_id).returncode == 0
        started = time.monotonic()
        assert airflow("dags", "trigger", "hiring_signals_ingest_hn").returncode == 0

        deadline = time.monotonic() + PIPELINE_TIMEOUT_S
        runs: dict[str, list[str]] = {}
        while True:
            runs = dag_runs(home / "airflow.db")
            states = {state for dag_states in runs.values() for state in dag_states}
            # Each ingest task's asset event may queue another transform run: wait until
            # every run has finished and a report followed.
            settled = not states & {"queued", "running"}
            if "failed" in states or (
                settled and "success" in runs.get("hiring_signals_report", [])
            ):
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"ingest -> transform -> report did not finish in {PIPELINE_TIMEOUT_S} s "
                    f"(a hang): runs so far {runs}; logs in {logs}"
                )
            time.sleep(5)
        elapsed = time.monotonic() - started
    finally:
        for service in services:  # the scheduler may ignore SIGTERM: escalate
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(service.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    service.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    continue

    print(f"ingest trigger to report: {elapsed:.0f} s; runs: {runs}")
    assert "success" in runs.get("hiring_signals_ingest_hn", []), runs
    assert runs.get("hiring_signals_transform") and set(runs["hiring_signals_transform"]) == {
        "success"
    }, runs
    assert "success" in runs.get("hiring_signals_report", []), runs
    with connect_read_only(data / "analytics.duckdb") as con:
        assert con.execute("select count(*) from marts.fct_job_postings").fetchone()[0] == 4523
    assert (
        "Have ML / deep-learning jobs collapsed" in (data / "reports" / "answer.html").read_text()
    )
