"""
### Ingest HN "Who is hiring?" (daily)

Lands new top-level comments of the newest monthly threads (`hn_whoishiring`) and the
historical archive (`hn_archive`) as immutable batches under `data/landing/`. Each task
emits its landing asset only when new records landed; with nothing new it is skipped.
Backfill: trigger with `{"since": "YYYY-MM-DD", "until": "YYYY-MM-DD"}`.
"""

import pendulum
from airflow.sdk import dag, task

from hiring_signals.orchestration import (
    BACKFILL_PARAMS,
    INGEST_DEFAULT_ARGS,
    LANDING_ASSETS,
    ingest_task,
)


@dag(
    dag_id="hiring_signals_ingest_hn",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=INGEST_DEFAULT_ARGS,
    tags=["hiring-signals", "ingest"],
    doc_md=__doc__,
    params=BACKFILL_PARAMS,
)
def hiring_signals_ingest_hn():
    for source in ("hn_whoishiring", "hn_archive"):

        @task(task_id=f"ingest_{source}", outlets=[LANDING_ASSETS[source]])
        def ingest(source: str = source, **context) -> dict:
            return ingest_task(source, context["outlet_events"], context["params"])

        ingest()


hiring_signals_ingest_hn()
