"""A hostile network on loopback: every call ends in bounded time with a clear reason.

The HTTP client talks to a real server over a socket; the faults are the ones the
job-board and HN tests do not already cover (those cover single 429/5xx answers, plain
timeouts and dropped connections).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from hiring_signals.http import (
    DeadlineExceededError,
    HttpClient,
    ResponseTooLargeError,
    RetryableStatusError,
)
from hiring_signals.landing import read_manifests
from hiring_signals.settings import Settings, load_settings
from tests.conftest import CLI, REPLAY_DIR, live_mode_env
from tests.reliability.fault_server import FaultServer, NetFault

PATH = "/v0/item/1.json"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(REPLAY_DIR).running() as running:
        yield running


@pytest.fixture
def other_host() -> Iterator[FaultServer]:
    """A second server on another port: where a redirect would send the client."""
    with FaultServer(REPLAY_DIR).running() as running:
        yield running


def client_settings(data_dir, **changes) -> Settings:
    base = dataclasses.replace(
        load_settings(),
        mode="live",
        requests_per_second=0,
        http_max_attempts=4,
        http_backoff_initial_s=0.01,
        http_timeout_s=1.0,
        http_deadline_s=2.0,
    )
    return dataclasses.replace(base, **changes)


def timed_get(settings: Settings, url: str) -> tuple[float, object]:
    """(seconds, result or the exception raised) of one GET."""
    started = time.monotonic()
    with HttpClient(settings) as client:
        try:
            outcome: object = client.get_json(url)
        except Exception as exc:
            outcome = exc
    return time.monotonic() - started, outcome


def test_a_body_trickled_byte_by_byte_is_cut_off_at_the_deadline(data_dir, server):
    # One byte every 0.2 s never trips a 1 s read timeout: ~10 s for the whole body.
    server.net_faults[PATH] = NetFault("slow_body", interval_s=0.2)

    elapsed, outcome = timed_get(client_settings(data_dir), server.base_url + PATH)

    assert isinstance(outcome, DeadlineExceededError)
    assert "deadline" in str(outcome) and PATH in str(outcome)
    assert elapsed < 4.0


def test_headers_trickled_byte_by_byte_are_cut_off_at_the_deadline(data_dir, server):
    # The status line and a header that never ends, one byte every 0.2 s: each read
    # returns within the 1 s timeout, so only the deadline can end the call.
    server.net_faults[PATH] = NetFault("slow_headers", interval_s=0.2)

    elapsed, outcome = timed_get(client_settings(data_dir), server.base_url + PATH)

    assert isinstance(outcome, DeadlineExceededError)
    assert "response headers" in str(outcome) and PATH in str(outcome)
    assert elapsed < 4.0


def test_a_429_asking_for_longer_than_the_deadline_gives_up_at_once_with_the_429(data_dir, server):
    server.net_faults[PATH] = NetFault("status", status=429, headers={"Retry-After": "3600"})

    elapsed, outcome = timed_get(client_settings(data_dir), server.base_url + PATH)

    assert isinstance(outcome, RetryableStatusError)
    assert outcome.response.status_code == 429
    assert "Retry-After: 3600" in str(outcome)
    assert server.hits(PATH) == 1, "no attempt squeezed in at the deadline"
    assert elapsed < 1.5


def test_a_429_storm_with_short_waits_retries_until_the_attempt_budget(data_dir, server):
    server.net_faults[PATH] = NetFault("status", status=429, headers={"Retry-After": "0"})

    elapsed, outcome = timed_get(client_settings(data_dir), server.base_url + PATH)

    assert isinstance(outcome, RetryableStatusError)
    assert server.hits(PATH) == 4, "every attempt of the budget was made"
    assert elapsed < 2.0


def test_a_5xx_burst_within_the_retry_budget_is_ridden_out(data_dir, server):
    server.net_faults["/v1/boards/smarterdx/jobs"] = NetFault("status", status=502, times=3)

    _, outcome = timed_get(
        client_settings(data_dir, http_deadline_s=10.0),
        server.base_url + "/v1/boards/smarterdx/jobs?content=true",
    )

    assert outcome == server.body("/v1/boards/smarterdx/jobs", "content=true")
    assert server.hits("/v1/boards/smarterdx/jobs") == 4


def test_a_redirect_to_another_host_is_refused_and_not_followed(data_dir, server, other_host):
    server.net_faults[PATH] = NetFault("redirect", location=other_host.base_url + PATH)

    _, outcome = timed_get(client_settings(data_dir), server.base_url + PATH)

    assert isinstance(outcome, httpx.HTTPStatusError)
    assert "redirect" in str(outcome) and "not followed" in str(outcome)
    assert other_host.base_url in str(outcome)
    assert other_host.requests == []
    assert server.hits(PATH) == 1, "a redirect is an answer, not retried"


@pytest.mark.parametrize("declare_length", [True, False], ids=["declared", "streamed"])
def test_a_body_over_the_size_cap_is_refused(data_dir, server, declare_length):
    server.net_faults[PATH] = NetFault("oversized", size=5_000_000, declare_length=declare_length)

    _, outcome = timed_get(
        client_settings(data_dir, http_max_bytes=1_000_000), server.base_url + PATH
    )

    assert isinstance(outcome, ResponseTooLargeError)
    assert "over the 1000000 byte cap" in str(outcome) and PATH in str(outcome)
    assert server.hits(PATH) == 1, "an oversized body is not fetched again"


def test_a_connection_reset_mid_body_is_retried_and_the_answer_is_whole(data_dir, server):
    server.net_faults["/v1/boards/smarterdx/jobs"] = NetFault("reset", times=1)

    _, outcome = timed_get(
        client_settings(data_dir), server.base_url + "/v1/boards/smarterdx/jobs?content=true"
    )

    assert outcome == server.body("/v1/boards/smarterdx/jobs", "content=true")
    assert server.hits("/v1/boards/smarterdx/jobs") == 2


def test_resets_on_every_attempt_end_after_the_attempt_budget(data_dir, server):
    server.net_faults[PATH] = NetFault("reset")

    _, outcome = timed_get(client_settings(data_dir), server.base_url + PATH)

    assert isinstance(outcome, httpx.TransportError)
    assert server.hits(PATH) == 4


@pytest.mark.slow
def test_every_source_under_a_different_fault_ends_in_bounded_time_with_its_status(
    data_dir, server, other_host
):
    """`hiring-signals ingest` with each source's API broken a different way."""
    base = server.base_url
    server.net_faults.update(
        {
            "tags=story%2C%28author__whoishiring": NetFault("slow_body", interval_s=0.2),
            "/v1/boards/smarterdx/jobs": NetFault(
                "status", status=429, headers={"Retry-After": "3600"}
            ),
            "/v0/postings/palantir": NetFault("redirect", location=f"{other_host.base_url}/x"),
            "/posting-api/job-board/openevidence": NetFault("oversized", size=3_000_000),
            "query=AI+layoffs": NetFault("reset"),
            "/r/MachineLearning/search.json": NetFault("status", status=503, times=2),
        }
    )
    env = {
        **os.environ,
        **live_mode_env(base),
        "HS_HTTP_MAX_ATTEMPTS": "3",
        "HS_HTTP_BACKOFF_INITIAL_S": "0.05",
        "HS_HTTP_TIMEOUT_S": "1",
        "HS_HTTP_DEADLINE_S": "3",
        "HS_HTTP_MAX_BYTES": "1000000",
    }
    sources = ["hn_whoishiring", "greenhouse", "lever", "ashby", "hn_discussions", "reddit"]
    started = time.monotonic()
    result = subprocess.run(
        [str(CLI), "ingest", *(a for s in sources for a in ("--source", s))],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - started

    # The slow body ends at the 3 s deadline, the 429 asking for an hour at once.
    assert elapsed < 40, f"took {elapsed:.0f}s"
    assert result.returncode == 1
    out = result.stdout
    err = " ".join(result.stderr.split())
    assert "ingest hn_whoishiring: 0 new records" in out
    assert "hn_whoishiring: DeadlineExceededError" in err and "after the 3s deadline" in err
    # The other boards land as on their newest recorded day (Palantir is Lever's only one).
    assert "ingest greenhouse: 267 new records" in out  # Anthropic 176, Perplexity 75, Runway 16
    assert "ingest lever: 0 new records" in out
    assert "ingest ashby: 313 new records" in out  # OpenAI
    assert out.count("; 1 failed") == 3, "one failed board each on greenhouse, lever, ashby"
    assert "greenhouse:smarterdx: HTTP 429 from" in err
    assert "lever:palantir: HTTP 302 redirect from" in err and "not followed" in err
    assert other_host.requests == []
    assert (
        "ashby:openevidence: bad response quarantined: response body over the 1000000 byte cap"
        in err
    )
    assert "hn_discussions 'AI layoffs': ReadError" in err
    assert "ingest hn_discussions: 3 new records" in out, "the other query still lands"
    assert "ingest reddit: 7 new records" in out, "a 503 burst within the budget is ridden out"
    settings = load_settings()
    failed = {
        m.scope: m.status
        for source in ("greenhouse", "lever", "ashby")
        for m in read_manifests(settings.landing_dir, source)
        if m.status == "failed"
    }
    assert failed == {"smarterdx": "failed", "palantir": "failed", "openevidence": "failed"}
