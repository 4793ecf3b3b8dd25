"""
### Ingest HN "Who is hiring?" (daily)

Lands new top-level comments of the newest monthly threads (`hn_whoishiring`), with
each thread's size, as immutable batches under `data/landing/`. The task emits its
landing asset only when new records landed; with nothing new it is skipped.
Backfill: trigger with `{"since": "YYYY-MM-DD", "until": "YYYY-MM-DD"}`.
"""

from airflow.sdk import dag

from hiring_signals.orchestration import (
    BACKFILL_PARAMS,
    INGEST_DEFAULT_ARGS,
    dag_settings,
    ingest_source_tasks,
)


@dag(
    dag_id="hiring_signals_ingest_hn",
    schedule="@daily",
    doc_md=__doc__,
    params=BACKFILL_PARAMS,
    **dag_settings(INGEST_DEFAULT_ARGS, "ingest"),
)
def hiring_signals_ingest_hn():
    ingest_source_tasks("hn")


hiring_signals_ingest_hn()
