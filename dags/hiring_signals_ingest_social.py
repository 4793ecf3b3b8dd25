"""
### Ingest social threads about the ML job market (daily)

HN stories and comments found by the configured Algolia queries (`hn_discussions`) and
Reddit posts with their top comments from the configured subreddits (`reddit`); queries
live in `config/social.yaml`. Each task emits its landing asset only when new records
landed. A Reddit OAuth token, if any, comes from the `HS_REDDIT_TOKEN` environment variable
or the password of the Airflow connection `hiring_signals_reddit`; tasks mask it in logs.
Backfill (HN discussions only): trigger with `{"since": "YYYY-MM-DD", "until": "YYYY-MM-DD"}`.
"""

from airflow.sdk import dag

from hiring_signals.orchestration import (
    BACKFILL_PARAMS,
    INGEST_DEFAULT_ARGS,
    dag_settings,
    ingest_source_tasks,
)


@dag(
    dag_id="hiring_signals_ingest_social",
    schedule="@daily",
    doc_md=__doc__,
    params=BACKFILL_PARAMS,
    **dag_settings(INGEST_DEFAULT_ARGS, "ingest"),
)
def hiring_signals_ingest_social():
    ingest_source_tasks("social")


hiring_signals_ingest_social()
