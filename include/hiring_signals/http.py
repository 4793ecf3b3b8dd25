"""The one HTTP client every source uses: timeouts, bounded retries, rate limit, replay.

``live`` mode talks to the real APIs; ``replay`` mode swaps only the transport for one
that serves recorded responses, so parsing, pagination and cursors run the same code.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from tenacity import (
    RetryCallState,
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from hiring_signals import __version__
from hiring_signals.settings import Settings

USER_AGENT = (
    f"hiring-signals/{__version__} (+https://github.com/hiring-signals/hiring-signals; "
    "public labor-market research)"
)
RETRYABLE_STATUS = {429, 500, 502, 503, 504}
MAX_ATTEMPTS = 5


class RetryableStatusError(httpx.HTTPStatusError):
    """A 429 or 5xx answer that is worth asking again."""


class ReplayTransport(httpx.BaseTransport):
    """Serves recorded responses from a ``responses.jsonl`` file, keyed by path and query."""

    def __init__(self, responses_file: Path) -> None:
        if not responses_file.is_file():
            raise FileNotFoundError(f"replay file not found: {responses_file}")
        self._responses: dict[tuple[str, str], tuple[int, Any]] = {}
        with responses_file.open(encoding="utf-8") as lines:
            for line in lines:
                rec = json.loads(line)
                self._responses[(rec["path"], rec["query"])] = (rec["status"], rec["body"])

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.path, canonical_query(dict(request.url.params)))
        if key not in self._responses:
            return httpx.Response(404, json={"error": "no recorded response"}, request=request)
        status, body = self._responses[key]
        return httpx.Response(status, json=body, request=request)


def canonical_query(params: dict[str, Any]) -> str:
    """Query string with sorted keys, so recorded and live URLs compare equal."""
    return urlencode(sorted(params.items()))


class RateLimiter:
    """At most ``per_second`` requests per host, shared by the threads of one client."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self._interval
        if start > now:
            time.sleep(start - now)


def _wait_for_retry(state: RetryCallState) -> float:
    """Exponential backoff with jitter, or the server's ``Retry-After`` when it sends one."""
    backoff = wait_exponential_jitter(initial=0.5, max=30, jitter=0.5)(state)
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, RetryableStatusError):
        retry_after = exc.response.headers.get("Retry-After", "")
        if retry_after.isdigit():
            return min(float(retry_after), 60.0)
    return backoff


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, RetryableStatusError | httpx.TransportError)


class HttpClient:
    """JSON GETs with a timeout, a per-host rate limit and bounded retries."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        if transport is None and settings.mode == "replay":
            transport = ReplayTransport(settings.replay_dir / "responses.jsonl")
        limit = 0.0 if settings.mode == "replay" else settings.requests_per_second
        self._limiter = RateLimiter(limit)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(20.0, connect=5.0),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )
        self.requests = 0

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    @retry(
        retry=retry_if_exception(_is_retryable),
        wait=_wait_for_retry,
        stop=stop_after_attempt(MAX_ATTEMPTS),
        reraise=True,
    )
    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``url`` and decode JSON; raises ``httpx.HTTPStatusError`` on a final failure."""
        request = self._client.build_request("GET", url, params=params)
        self._limiter.wait(request.url.host)
        self.requests += 1
        response = self._client.send(request)
        if response.status_code in RETRYABLE_STATUS:
            raise RetryableStatusError(
                f"HTTP {response.status_code} from {request.url}",
                request=request,
                response=response,
            )
        response.raise_for_status()
        return response.json()
