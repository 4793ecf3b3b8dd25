"""
### Report: the answer page (on each publish)

Scheduled on the `hiring_signals://analytics` asset that a successful publish emits:
renders `data/reports/answer.html` from the published, read-only warehouse.
"""

import pendulum
from airflow.sdk import dag, task

from hiring_signals.orchestration import ANALYTICS_ASSET, INGEST_DEFAULT_ARGS, report_task


@dag(
    dag_id="hiring_signals_report",
    schedule=[ANALYTICS_ASSET],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=INGEST_DEFAULT_ARGS | {"retries": 1},
    tags=["hiring-signals", "report"],
    doc_md=__doc__,
)
def hiring_signals_report():
    @task
    def render() -> str:
        return report_task()

    render()


hiring_signals_report()
