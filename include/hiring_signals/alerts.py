"""Short alert lines for failed pipeline tasks: to a log file, and to a webhook if set.

One line per problem, naming the source (a table or a landing source), the check and
the observed value, so a Slack channel or a mail filter can show it as is. Set
``HS_ALERT_WEBHOOK_URL`` to POST each line as ``{"text": ...}`` (the Slack incoming
webhook shape); the URL is a secret and is never written to the log.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    source: str
    check: str
    observed: object

    def line(self, dag_id: str, task_id: str, when: datetime) -> str:
        observed = json.dumps(self.observed, default=str)
        return (
            f"{when:%Y-%m-%dT%H:%M:%SZ} ALERT dag={dag_id} task={task_id} "
            f"source={self.source} check={self.check} observed={observed}"
        )


class StepFailedError(RuntimeError):
    """A pipeline step failed on named problems; carries one alert per problem."""

    def __init__(self, summary: str, alerts: list[Alert]) -> None:
        super().__init__(summary)
        self.alerts = alerts


class QualityGateFailedError(StepFailedError):
    """The gate failed: one alert per failed expectation."""


class DbtBuildFailedError(StepFailedError):
    """A dbt build failed: one alert per failed model, seed or test."""


def first_line(exception: BaseException) -> str:
    """The exception's first non-blank message line (300 characters at most), or
    "(no message)": a bare ``assert`` or ``TimeoutError()`` still gives an alert."""
    lines = [line.strip() for line in str(exception).splitlines() if line.strip()]
    if not lines:
        return "(no message)"
    more = f" (+{len(lines) - 1} more lines)" if len(lines) > 1 else ""
    return lines[0][:300] + more


def alerts_for(exception: BaseException | None) -> list[Alert]:
    if isinstance(exception, StepFailedError):
        return exception.alerts
    if exception is None:
        return [Alert("task", "failure", "unknown error")]
    return [Alert("task", type(exception).__name__, first_line(exception))]


def send_alerts(alerts: list[Alert], dag_id: str, task_id: str, alert_log: Path) -> list[str]:
    """Append the alert lines to ``alert_log`` and post them to the webhook, if any."""
    when = datetime.now(UTC)
    lines = [a.line(dag_id, task_id, when) for a in alerts]
    alert_log.parent.mkdir(parents=True, exist_ok=True)
    with alert_log.open("a", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)
    webhook = os.environ.get("HS_ALERT_WEBHOOK_URL")
    if webhook:
        for line in lines:
            try:
                httpx.post(webhook, json={"text": line}, timeout=10).raise_for_status()
            except httpx.HTTPError as exc:  # the alert file still has it
                log.warning("alert webhook failed: %s", type(exc).__name__)
    return lines
