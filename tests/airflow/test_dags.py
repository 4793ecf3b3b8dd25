"""The DAGs parse cleanly, follow the conventions, and run end to end in replay mode."""

import itertools
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only, mart_checksums
from tests.conftest import AIRFLOW, file_sha256, run_airflow

DAGS = REPO_ROOT / "dags"
DAG_IDS = [
    "hiring_signals_ingest_hn",
    "hiring_signals_ingest_boards",
    "hiring_signals_ingest_social",
    "hiring_signals_transform",
    "hiring_signals_report",
]


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_every_dag_file_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == set(DAG_IDS)


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_dags_declare_owner_retries_tags_and_docs(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert "hiring-signals" in dag.tags
    assert dag.doc_md and dag.max_active_runs == 1 and not dag.catchup
    for task in dag.tasks:
        assert task.owner == "hiring-signals"
    assert any(task.retries > 0 for task in dag.tasks)


def test_ingest_tasks_produce_the_assets_the_transform_dag_waits_for(dagbag):
    produced = {
        outlet.uri
        for dag_id in DAG_IDS[:3]
        for task in dagbag.dags[dag_id].tasks
        for outlet in task.outlets
    }
    assert produced == {
        "hiring_signals://landing/hn_whoishiring",
        "hiring_signals://landing/ats_boards",
        "hiring_signals://landing/hn_discussions",
        "hiring_signals://landing/reddit",
    }
    transform = dagbag.dags["hiring_signals_transform"]
    awaited = {a.uri for a in transform.timetable.asset_condition.objects}
    assert awaited == produced
    assert {t.pool for t in transform.tasks} == {"duckdb_writer"}
    publish = transform.get_task("publish")
    assert [o.uri for o in publish.outlets] == ["hiring_signals://analytics"]
    report = dagbag.dags["hiring_signals_report"]
    assert {a.uri for a in report.timetable.asset_condition.objects} == {
        "hiring_signals://analytics"
    }


def test_every_task_alerts_on_failure(dagbag):
    for dag_id in DAG_IDS:
        for task in dagbag.dags[dag_id].tasks:
            callbacks = task.on_failure_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            assert any(getattr(c, "__name__", "") == "alert_on_failure" for c in callbacks), (
                f"{dag_id}.{task.task_id}"
            )


def test_transform_builds_every_dbt_model_and_seed_in_one_layer_task_in_order(dagbag):
    from hiring_signals.warehouse import DBT_LAYERS

    project = REPO_ROOT / "dbt_project"
    nodes = [
        p.relative_to(project)
        for folder in ("models", "seeds")
        for p in (project / folder).rglob("*")
        if p.suffix in (".sql", ".py", ".csv")
    ]
    for node in nodes:  # each layer selects by path: every node lies in exactly one
        layers = [
            layer
            for layer, selector in DBT_LAYERS.items()
            if any(node.is_relative_to(s.removeprefix("path:")) for s in selector.split())
        ]
        assert len(layers) == 1, f"{node} is built by {layers or 'no layer'}"
    transform = dagbag.dags["hiring_signals_transform"]
    order = ["prepare_landing", *(f"dbt_{layer}" for layer in DBT_LAYERS), "check", "publish"]
    assert {t.task_id for t in transform.tasks} == set(order)
    for before, after in itertools.pairwise(order):
        assert before in transform.get_task(after).upstream_task_ids
    assert all(transform.get_task(t).retries > 0 for t in order[1:-2]), "a layer can be retried"


@pytest.mark.slow
def test_a_failing_dbt_layer_fails_its_task_naming_each_failed_model(data_dir):
    from hiring_signals.alerts import DbtBuildFailedError, alerts_for
    from hiring_signals.orchestration import dbt_layer_task, prepare_landing_task

    variables = prepare_landing_task()  # an empty landing, nothing built yet
    with pytest.raises(DbtBuildFailedError) as failed:
        dbt_layer_task("marts", variables)  # its upstream tables do not exist

    sources = {alert.source for alert in alerts_for(failed.value)}
    assert sources == {"dbt.marts"}
    observed = [str(alert.observed) for alert in alerts_for(failed.value)]
    assert any(line.startswith("model.hiring_signals.dim_batches: error:") for line in observed)
    assert "dbt build of the marts layer failed" in str(failed.value)


def test_job_boards_fan_out_one_mapped_task_per_board(dagbag):
    boards = dagbag.dags["hiring_signals_ingest_boards"]
    ingest = boards.get_task("ingest_board")
    assert ingest.upstream_task_ids == {"list_boards"}
    assert type(ingest).__name__.endswith("MappedOperator")


def airflow_home(home: Path, data: Path) -> dict[str, str]:
    """Environment of a fresh Airflow (migrated, with the writer pool) in replay mode."""
    env = dict(
        os.environ,
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        HS_DATA_DIR=str(data),
        HS_MODE="replay",
        DO_NOT_TRACK="1",
        PATH=f"{AIRFLOW.parent}:{os.environ['PATH']}",
    )
    for args in (["db", "migrate"], ["pools", "set", "duckdb_writer", "1", "single writer"]):
        assert run_airflow(env, *args).returncode == 0
    return env


def asset_events(home: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(home / "airflow.db") as con:
        return con.execute(
            "select asset.uri, asset_event.extra from asset_event "
            "join asset on asset.id = asset_event.asset_id order by asset_event.id"
        ).fetchall()


@dataclass
class AirflowRuns:
    """One Airflow home in replay mode, shared by the slow tests of this module: the HN
    and job-board ingests and the transform they trigger, run once with `dags test`."""

    home: Path
    data: Path
    env: dict[str, str]
    ingest: subprocess.CompletedProcess[str]
    ingest_events: list[tuple[str, str]]
    boards: subprocess.CompletedProcess[str]
    transform: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def airflow_runs(tmp_path_factory: pytest.TempPathFactory) -> AirflowRuns:
    root = tmp_path_factory.mktemp("airflow")
    home, data = root / "airflow", root / "data"
    env = airflow_home(home, data)
    ingest = run_airflow(env, "dags", "test", "hiring_signals_ingest_hn", "2026-11-25")
    ingest_events = asset_events(home)
    boards = run_airflow(env, "dags", "test", "hiring_signals_ingest_boards")
    transform = run_airflow(env, "dags", "test", "hiring_signals_transform")
    return AirflowRuns(home, data, env, ingest, ingest_events, boards, transform)


@pytest.mark.slow
def test_dags_test_ingests_builds_checks_and_publishes_in_replay_mode(airflow_runs):
    runs = airflow_runs
    assert runs.ingest.returncode == 0, runs.ingest.stdout[-3000:]
    assert sorted(uri for uri, _ in runs.ingest_events) == [
        "hiring_signals://landing/hn_whoishiring",
    ]
    assert all('"batch_ids"' in extra for _, extra in runs.ingest_events)

    assert runs.boards.returncode == 0, runs.boards.stdout[-3000:]
    board_events = [e for e in asset_events(runs.home) if e[0].endswith("/ats_boards")]
    assert len(board_events) == 7, "one event per mapped board task that landed a snapshot"

    assert runs.transform.returncode == 0, runs.transform.stdout[-3000:]
    with connect_read_only(runs.data / "analytics.duckdb") as con:
        sources = dict(
            con.execute(
                "select source_name, count(*) from marts.fct_job_postings group by 1"
            ).fetchall()
        )
    assert sources["hn_whoishiring"] == 4523 and sources["greenhouse"] == 181 + 79 + 16 + 2
    after_ingests = len(runs.ingest_events) + len(board_events)
    assert asset_events(runs.home)[after_ingests][0] == "hiring_signals://analytics"


@pytest.mark.slow
def test_an_ingest_with_nothing_new_emits_nothing_and_a_rebuild_changes_no_mart(airflow_runs):
    runs = airflow_runs
    assert runs.transform.returncode == 0, runs.transform.stdout[-3000:]
    with connect_read_only(runs.data / "analytics.duckdb") as con:
        first_checksums = mart_checksums(con)
    landed = sorted(p.name for p in (runs.data / "landing").rglob("*") if p.is_file())
    events = len(asset_events(runs.home))

    again = run_airflow(runs.env, "dags", "test", "hiring_signals_ingest_hn", "2026-11-25")

    assert again.returncode == 0
    assert "nothing new since the last batch" in again.stdout
    assert len(asset_events(runs.home)) == events, "no new records, no new asset events"
    assert sorted(p.name for p in (runs.data / "landing").rglob("*") if p.is_file()) == landed
    rebuilt = run_airflow(runs.env, "dags", "test", "hiring_signals_transform")
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:]
    with connect_read_only(runs.data / "analytics.duckdb") as con:
        assert mart_checksums(con) == first_checksums


@pytest.mark.slow
def test_failed_quality_gate_fails_the_run_writes_an_alert_and_publishes_nothing(
    airflow_runs, tmp_path
):
    from tests.conftest import land_future_posting

    data = tmp_path / "data"  # a copy of the published folder, in the same Airflow home
    shutil.copytree(airflow_runs.data, data, symlinks=True)
    env = airflow_runs.env | {"HS_DATA_DIR": str(data)}
    published = file_sha256(data / "analytics.duckdb")
    land_future_posting(data / "landing")

    transform = run_airflow(env, "dags", "test", "hiring_signals_transform")

    assert transform.returncode != 0
    alerts = (data / "alerts.log").read_text().splitlines()
    assert any(
        "task=check source=fct_job_postings.months_ahead_of_today "
        "check=expect_column_max_to_be_between" in line
        for line in alerts
    )
    assert file_sha256(data / "analytics.duckdb") == published
