"""What the Airflow tasks do; the DAG files stay thin and only wire these up.

Assets: one per landing source (``hiring_signals://landing/<source>``; the job boards of
all three ATSs share ``hiring_signals://landing/ats_boards``) and one for the published
warehouse (``hiring_signals://analytics``). An ingest task emits its asset
event only when new records landed: with nothing new it ends as *skipped*, and skipped
tasks emit no asset events, so the transform DAG is not triggered for nothing.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, Connection, task
from airflow.sdk.exceptions import AirflowNotFoundException, AirflowSkipException
from airflow.sdk.log import mask_secret

from hiring_signals.alerts import (
    Alert,
    DbtBuildFailedError,
    QualityGateFailedError,
    alerts_for,
    send_alerts,
)
from hiring_signals.pipeline import (
    ingest_board,
    ingest_source,
    publish_if_validated,
)
from hiring_signals.settings import load_settings
from hiring_signals.sources import reddit, registry
from hiring_signals.sources.base import IngestResult
from hiring_signals.sources.config import load_boards
from hiring_signals.warehouse import (
    DBT_LAYERS,
    build_selection,
    prepare_landing,
    reset_if_project_changed,
)

log = logging.getLogger(__name__)


def landing_asset(source: str) -> Asset:
    """The Airflow asset a registered source's ingest emits (sources may share one)."""
    return Asset(f"hiring_signals://landing/{registry.get(source).asset_name}")


def landing_assets() -> list[Asset]:
    """Every landing asset once: what the transform DAG is scheduled on."""
    return list(dict.fromkeys(landing_asset(name) for name in registry.names()))


# The three ATSs share one asset: a mapped board task's outlets are fixed, its ATS is not.
ATS_ASSET = landing_asset("greenhouse")
ANALYTICS_ASSET = Asset("hiring_signals://analytics")
REDDIT_CONNECTION = "hiring_signals_reddit"  # optional; its password is the OAuth token
WAREHOUSE_POOL = "duckdb_writer"  # one slot: build.duckdb has a single writer


def alert_on_failure(context: Any) -> None:
    """Failure callback: one alert line per problem (see ``hiring_signals.alerts``)."""
    settings = load_settings()
    ti = context["ti"]
    lines = send_alerts(
        alerts_for(context.get("exception")),
        ti.dag_id,
        ti.task_id,
        settings.data_dir / "alerts.log",
    )
    for line in lines:
        log.error("%s", line)


# Trigger an ingest DAG with this conf to backfill a date range.
BACKFILL_PARAMS = {"since": None, "until": None}

# Ingest tasks talk to rate-limited public APIs: back off for longer and longer.
INGEST_DEFAULT_ARGS = {
    "owner": "hiring-signals",
    "retries": 3,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "on_failure_callback": alert_on_failure,
}
# The warehouse tasks share one writer slot; a failed check is not worth a retry.
TRANSFORM_DEFAULT_ARGS = {
    "owner": "hiring-signals",
    "retries": 1,
    "retry_delay": timedelta(minutes=1),
    "pool": WAREHOUSE_POOL,
    "on_failure_callback": alert_on_failure,
}


def dag_settings(default_args: dict[str, Any], kind: str) -> dict[str, Any]:
    """What every hiring-signals DAG shares: the same start, no catchup, one run at a
    time, its default task arguments and the tags ``hiring-signals`` and ``kind``."""
    return {
        "start_date": pendulum.datetime(2026, 1, 1, tz="UTC"),
        "catchup": False,
        "max_active_runs": 1,
        "default_args": default_args,
        "tags": ["hiring-signals", kind],
    }


def _emit(result: IngestResult, asset: Asset, outlet_events: Any, label: str) -> dict[str, Any]:
    """Fail on errors, skip when nothing changed, else attach the batch ids to the event."""
    for notice in result.notices:
        log.warning("%s", notice)
    if result.errors:
        raise RuntimeError("; ".join(result.errors))
    if not result.changed:
        raise AirflowSkipException(f"{label}: nothing new since the last batch")
    extra = {"batch_ids": result.batch_ids, "records": result.new_records}
    outlet_events[asset].extra = extra
    log.info("%s: landed %d records in %s", label, result.new_records, result.batch_ids)
    return extra


def _day(value: str | None) -> datetime | None:
    return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC) if value else None


def load_reddit_token() -> None:
    """Take the Reddit token from ``HS_REDDIT_TOKEN`` or, failing that, from the password
    of the Airflow connection ``hiring_signals_reddit``, and register it with Airflow's
    secrets masker: any log line of the task that contains it shows ``***`` instead
    (Airflow masks connection passwords by itself, environment variables not)."""
    token = os.environ.get(reddit.TOKEN_ENV)
    if not token:
        try:
            token = Connection.get(REDDIT_CONNECTION).password
        except AirflowNotFoundException:
            return
        if not token:
            return
        os.environ[reddit.TOKEN_ENV] = token  # what the Reddit client reads
    mask_secret(token, reddit.TOKEN_ENV)


def ingest_task(
    source: str, outlet_events: Any, params: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Land new records of ``source``; skip (no asset event) when nothing is new.

    A run triggered with ``{"since": "YYYY-MM-DD", "until": "YYYY-MM-DD"}`` backfills
    that range instead (sources that can: ``Source.backfill``)."""
    params = params or {}
    if source == reddit.SOURCE:
        load_reddit_token()
    since, until = _day(params.get("since")), _day(params.get("until"))
    if (since or until) and not registry.get(source).backfill:
        raise AirflowSkipException(f"{source} cannot be backfilled by date")
    result = ingest_source(load_settings(), source, since=since, until=until)
    return _emit(result, landing_asset(source), outlet_events, source)


def ingest_source_tasks(dag: str) -> None:
    """Inside a DAG: one task ``ingest_<source>`` per source registered for the DAG
    ``dag`` (``Source.dag``), emitting its landing asset."""
    for source in [name for name, s in registry.sources().items() if s.dag == dag]:

        @task(task_id=f"ingest_{source}", outlets=[landing_asset(source)])
        def ingest(source: str = source, **context: Any) -> dict[str, Any]:
            return ingest_task(source, context["outlet_events"], context["params"])

        ingest()


def board_keys() -> list[str]:
    """Keys of the configured job boards, ``<ats>:<token>``: one mapped task each."""
    return [board.key for board in load_boards(load_settings().boards_file)]


def ingest_board_task(key: str, outlet_events: Any) -> dict[str, Any]:
    """Snapshot one job board; a failure fails this mapped task only."""
    result = ingest_board(load_settings(), key)
    return _emit(result, ATS_ASSET, outlet_events, key)


def prepare_landing_task() -> dict[str, str]:
    """Quarantine unusable landing lines; the returned variables (the landing files
    validated) feed every dbt layer task."""
    settings = load_settings()
    quarantined, variables = prepare_landing(settings)
    # A changed dbt project (models, macros, seeds) rebuilds every incremental model.
    if reset_if_project_changed(settings):
        log.info("dbt project changed since the last build: this build is a full one")
    for q in quarantined:
        log.warning(
            "quarantined %s %s line %d field %s: %s", q.source, q.file, q.line, q.field, q.reason
        )
    return variables


def dbt_layer_task(layer: str, variables: dict[str, str]) -> None:
    """``dbt build`` of one layer (``DBT_LAYERS``) with its tests and unit tests, on the
    landing files ``prepare_landing`` validated. Fails naming each failed node, so a
    failing model or test is a red task of its layer that can be retried alone."""
    settings = load_settings()
    success, failures = build_selection(
        settings,
        variables,
        DBT_LAYERS[layer],
        on_line=lambda line: log.info("%s", line),
        in_process=True,
    )
    if not success:
        raise DbtBuildFailedError(
            f"dbt build of the {layer} layer failed:\n" + "\n".join(failures),
            [Alert(f"dbt.{layer}", "dbt build", failure) for failure in failures],
        )


def check_task() -> str:
    # Imported here: Great Expectations takes seconds to import, DAG parsing should not.
    from hiring_signals.quality.gate import run_gate

    result = run_gate(load_settings())
    summary = "\n".join(result.summary())
    if not result.success:
        alerts = [
            Alert(f"{o.table}.{o.column or '*'}", o.expectation, o.observed)
            for o in result.outcomes
            if not o.success
        ]
        raise QualityGateFailedError(f"quality gate failed, publish blocked:\n{summary}", alerts)
    log.info("quality gate passed:\n%s", summary)
    return str(result.result_file)


def publish_task(outlet_events: Any) -> str:
    snapshot = publish_if_validated(load_settings())
    outlet_events[ANALYTICS_ASSET].extra = {"snapshot_id": snapshot.snapshot_id}
    return snapshot.snapshot_id


def report_task() -> str:
    """Render the answer page from the published snapshot."""
    from hiring_signals.report import report_published

    path = report_published(load_settings())
    log.info("report written to %s", path)
    return str(path)
