"""
### Snapshot company job boards: Greenhouse, Lever, Ashby (daily)

`list_boards` reads `config/boards.yaml`; `ingest_board` is mapped over it, one task
instance per board, so a failing board fails only its own instance and is retried alone.
A board instance emits `hiring_signals://landing/ats_boards` only when its snapshot
changed (new or closed postings, a board gone); an unchanged board is skipped.
"""

from airflow.sdk import dag, task

from hiring_signals.orchestration import (
    ATS_ASSET,
    INGEST_DEFAULT_ARGS,
    board_keys,
    dag_settings,
    ingest_board_task,
)


@dag(
    dag_id="hiring_signals_ingest_boards",
    schedule="@daily",
    doc_md=__doc__,
    **dag_settings(INGEST_DEFAULT_ARGS, "ingest"),
)
def hiring_signals_ingest_boards():
    @task
    def list_boards() -> list[str]:
        return board_keys()

    @task(outlets=[ATS_ASSET], max_active_tis_per_dagrun=4)
    def ingest_board(key: str, **context) -> dict:
        return ingest_board_task(key, context["outlet_events"])

    ingest_board.expand(key=list_boards())


hiring_signals_ingest_boards()
