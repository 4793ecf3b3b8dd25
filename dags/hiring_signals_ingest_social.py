"""
### Ingest social threads about the ML job market (daily)

HN stories and comments found by the configured Algolia queries (`hn_discussions`) and
Reddit posts with their top comments from the configured subreddits (`reddit`); queries
live in `config/social.yaml`. Each task emits its landing asset only when new records
landed. A Reddit OAuth token, if any, comes from the `HS_REDDIT_TOKEN` environment variable
or the password of the Airflow connection `hiring_signals_reddit`; tasks mask it in logs.
Backfill (HN discussions only): trigger with `{"since": "YYYY-MM-DD", "until": "YYYY-MM-DD"}`.
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
    dag_id="hiring_signals_ingest_social",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=INGEST_DEFAULT_ARGS,
    tags=["hiring-signals", "ingest"],
    doc_md=__doc__,
    params=BACKFILL_PARAMS,
)
def hiring_signals_ingest_social():
    for source in ("hn_discussions", "reddit"):

        @task(task_id=f"ingest_{source}", outlets=[LANDING_ASSETS[source]])
        def ingest(source: str = source, **context) -> dict:
            return ingest_task(source, context["outlet_events"], context["params"])

        ingest()


hiring_signals_ingest_social()
