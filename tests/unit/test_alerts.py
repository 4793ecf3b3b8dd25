"""Failure alerts: one line per problem in the alert log, posted to a webhook if set."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from hiring_signals.alerts import Alert, QualityGateFailedError, alerts_for, send_alerts


def test_gate_failure_gives_one_line_per_failed_check_with_its_observed_value(tmp_path):
    error = QualityGateFailedError(
        "gate failed",
        [Alert("fct_job_postings.months_ahead_of_today", "expect_column_max_to_be_between", 872)],
    )
    lines = send_alerts(
        alerts_for(error), "hiring_signals_transform", "check", tmp_path / "alerts.log"
    )
    assert lines == (tmp_path / "alerts.log").read_text().splitlines()
    assert lines[0].endswith(
        "ALERT dag=hiring_signals_transform task=check source=fct_job_postings."
        "months_ahead_of_today check=expect_column_max_to_be_between observed=872"
    )


def test_other_failures_name_the_exception_and_its_first_line(tmp_path):
    lines = send_alerts(
        alerts_for(RuntimeError("dbt build failed:\nmodel x")),
        "d",
        "build",
        tmp_path / "alerts.log",
    )
    assert 'source=task check=RuntimeError observed="dbt build failed: (+1 more lines)"' in lines[0]


def test_exceptions_without_a_message_still_give_an_alert_line(tmp_path):
    for error, observed in [
        (AssertionError(), '"(no message)"'),
        (TimeoutError(), '"(no message)"'),
        (ValueError("\n  \n"), '"(no message)"'),
        (OSError("\n\ndisk full\n"), '"disk full"'),
    ]:
        lines = send_alerts(alerts_for(error), "d", "t", tmp_path / "alerts.log")
        assert lines == [lines[0]] and lines[0].endswith(
            f"check={type(error).__name__} observed={observed}"
        ), lines


def test_a_missing_exception_is_an_unknown_failure(tmp_path):
    lines = send_alerts(alerts_for(None), "d", "t", tmp_path / "alerts.log")
    assert lines[0].endswith('source=task check=failure observed="unknown error"')


def test_webhook_receives_each_line_and_its_url_is_not_logged(tmp_path, monkeypatch):
    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/services/T000/B000/secret-path"
    monkeypatch.setenv("HS_ALERT_WEBHOOK_URL", url)
    try:
        lines = send_alerts(
            [Alert("reddit", "fetch", "HTTP 503")], "d", "t", tmp_path / "alerts.log"
        )
    finally:
        server.shutdown()
    assert received == [{"text": lines[0]}]
    assert "secret-path" not in (tmp_path / "alerts.log").read_text()
