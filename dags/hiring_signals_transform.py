"""
### Build, check and publish the warehouse (on new landings)

Scheduled on the landing assets: runs when any ingest task of any source landed new
records.
`build` runs `dbt build` into `build.duckdb` (pool `duckdb_writer`, one slot: one
writer), `check` validates the marts with Great Expectations and fails with the summary
when a check fails, `publish` atomically replaces `analytics.duckdb` and emits the
`hiring_signals://analytics` asset with the snapshot id.
"""

import pendulum
from airflow.sdk import AssetAny, dag, task

from hiring_signals.orchestration import (
    ANALYTICS_ASSET,
    RAW_ASSETS,
    TRANSFORM_DEFAULT_ARGS,
    build_task,
    check_task,
    publish_task,
)


@dag(
    dag_id="hiring_signals_transform",
    schedule=AssetAny(*RAW_ASSETS),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=TRANSFORM_DEFAULT_ARGS,
    tags=["hiring-signals", "transform"],
    doc_md=__doc__,
)
def hiring_signals_transform():
    @task
    def build() -> dict:
        return build_task()

    @task(retries=0)
    def check() -> str:
        return check_task()

    @task(outlets=[ANALYTICS_ASSET])
    def publish(**context) -> str:
        return publish_task(context["outlet_events"])

    build() >> check() >> publish()


hiring_signals_transform()
