"""
### Build, check and publish the warehouse (on new landings)

Scheduled on the landing assets: runs when any ingest task of any source landed new
records. `prepare_landing` quarantines unusable landing lines; the `dbt` task group
(Cosmos) has one task per seed and model, each running `dbt build` on its node with its
tests, all in the pool `duckdb_writer` (one slot: one writer of `build.duckdb`); `check`
validates the marts with Great Expectations and fails with the summary when a check
fails; `publish` atomically replaces `analytics.duckdb` and emits the
`hiring_signals://analytics` asset with the snapshot id.
"""

from airflow.sdk import AssetAny, dag, task

from hiring_signals.orchestration import (
    ANALYTICS_ASSET,
    RAW_ASSETS,
    TRANSFORM_DEFAULT_ARGS,
    check_task,
    dag_settings,
    dbt_task_group,
    prepare_landing_task,
    publish_task,
)


@dag(
    dag_id="hiring_signals_transform",
    schedule=AssetAny(*RAW_ASSETS),
    doc_md=__doc__,
    **dag_settings(TRANSFORM_DEFAULT_ARGS, "transform"),
)
def hiring_signals_transform():
    @task
    def prepare_landing() -> dict:
        return prepare_landing_task()

    @task(retries=0)
    def check() -> str:
        return check_task()

    @task(outlets=[ANALYTICS_ASSET])
    def publish(**context) -> str:
        return publish_task(context["outlet_events"])

    prepare_landing() >> dbt_task_group() >> check() >> publish()


hiring_signals_transform()
