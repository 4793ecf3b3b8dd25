"""
### Build, check and publish the warehouse (on new landings)

Scheduled on the landing assets: runs when any ingest task of any source landed new
records. `prepare_landing` quarantines unusable landing lines and fixes the landing
files this run reads; then one task per dbt layer (`dbt_staging` with the seeds,
`dbt_intermediate`, `dbt_marts`) runs `dbt build` on that layer, so each model's data
tests and unit tests run with it and a failing model or test fails its layer's task,
named in the log and the alert, and can be retried alone. All tasks share the pool
`duckdb_writer` (one slot: one writer of `build.duckdb`). `check` validates the marts
with Great Expectations and fails with the summary when a check fails; `publish`
atomically replaces `analytics.duckdb` and emits the `hiring_signals://analytics`
asset with the snapshot id.
"""

from airflow.sdk import AssetAny, chain, dag, task

from hiring_signals.orchestration import (
    ANALYTICS_ASSET,
    DBT_LAYERS,
    TRANSFORM_DEFAULT_ARGS,
    check_task,
    dag_settings,
    dbt_layer_task,
    landing_assets,
    prepare_landing_task,
    publish_task,
)


@dag(
    dag_id="hiring_signals_transform",
    schedule=AssetAny(*landing_assets()),
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

    variables = prepare_landing()
    layers = [
        task(task_id=f"dbt_{layer}")(dbt_layer_task)(layer, variables) for layer in DBT_LAYERS
    ]
    chain(variables, *layers, check(), publish())


hiring_signals_transform()
