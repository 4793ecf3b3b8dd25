"""
### Report: the answer page (on each publish)

Scheduled on the `hiring_signals://analytics` asset that a successful publish emits:
renders `data/reports/answer.html` from the published, read-only warehouse.
"""

from airflow.sdk import dag, task

from hiring_signals.orchestration import (
    ANALYTICS_ASSET,
    INGEST_DEFAULT_ARGS,
    dag_settings,
    report_task,
)


@dag(
    dag_id="hiring_signals_report",
    schedule=[ANALYTICS_ASSET],
    doc_md=__doc__,
    **dag_settings(INGEST_DEFAULT_ARGS | {"retries": 1}, "report"),
)
def hiring_signals_report():
    @task
    def render() -> str:
        return report_task()

    render()


hiring_signals_report()
