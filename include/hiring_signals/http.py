"""The one HTTP client every source uses: timeouts, bounded retries, rate limit, replay.

``live`` mode talks to the real APIs; ``replay`` mode swaps only the transport for one
that serves recorded responses, so parsing, pagination and cursors run the same code.
"""

from __future__ import annotations

import gzip
import json
import lzma
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
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


class RetryableStatusError(httpx.HTTPStatusError):
    """A 429 or 5xx answer that is worth asking again."""


class BadResponseError(ValueError):
    """A 2xx answer whose body is not the JSON the API promises (HTML page, truncation)."""

    def __init__(self, url: str, reason: str, body: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.body = url, reason, body


class ResponseTooLargeError(BadResponseError):
    """A body over the size cap: refused before it can fill memory or the landing."""

    def __init__(self, url: str, cap: int, declared: int | None = None) -> None:
        sent = f"Content-Length {declared}" if declared is not None else "more sent"
        super().__init__(url, f"response body over the {cap} byte cap ({sent})", "")


class DeadlineExceededError(httpx.TimeoutException):
    """The request, its retries and its body took longer than the deadline."""


@dataclass(frozen=True)
class JsonResponse:
    url: str
    status: int
    data: Any  # None when the server answered 304 Not Modified
    etag: str | None
    last_modified: str | None
    date: str | None = None  # the server's Date header: when this answer was true

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class ReplayTransport(httpx.BaseTransport):
    """Serves recorded responses from every ``*.jsonl`` file of a folder, keyed by path
    and query; each line is ``{path, query, status, body}`` (``body_text`` for a raw
    body, ``headers`` optional).

    A request recorded on several days (its lines' ``Date`` headers differ: a job board
    answer per day) is a history: the transport serves the newest answer recorded at or
    before ``as_of`` (undated lines always qualify), or the newest of all when ``as_of``
    is None. A request not yet recorded at ``as_of`` answers 404 like one never recorded.
    """

    def __init__(self, replay_dir: Path) -> None:
        self._responses: dict[tuple[str, str], list[tuple[datetime | None, dict]]] = {}
        for rec in recorded_lines(replay_dir):
            key = (rec["path"], rec["query"])
            self._responses.setdefault(key, []).append((recorded_date(rec), rec))
        for history in self._responses.values():
            history.sort(key=lambda dated: dated[0] or datetime.min.replace(tzinfo=UTC))
        self.as_of: datetime | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.path, canonical_query(dict(request.url.params)))
        history = [
            rec
            for when, rec in self._responses.get(key, [])
            if self.as_of is None or when is None or when <= self.as_of
        ]
        if not history:
            # Dated on the replayed day, so a board recorded only from a later day is
            # gone that day and observed again when its recordings start.
            when = self.as_of.astimezone(UTC) if self.as_of else None
            headers = {"Date": format_datetime(when, usegmt=True)} if when else {}
            return httpx.Response(
                404, json={"error": "no recorded response"}, headers=headers, request=request
            )
        return recorded_response(history[-1], request)

    def recorded_days(self, paths: set[str]) -> list[datetime]:
        """One time per calendar day (UTC) on which requests to ``paths`` were recorded,
        oldest first: the last recording time of that day."""
        last: dict[str, datetime] = {}
        for (path, _), history in self._responses.items():
            if path in paths:
                for when, _rec in history:
                    if when is not None:
                        day = when.astimezone(UTC).date().isoformat()
                        last[day] = max(last.get(day, when), when)
        return [last[day] for day in sorted(last)]


def header_time(value: str | None) -> datetime | None:
    """An HTTP date header (``Date``) as an aware datetime, or None when absent or
    unreadable; a date without a zone (``-0000``) is UTC."""
    if not value:
        return None
    with suppress(TypeError, ValueError, IndexError):
        when = parsedate_to_datetime(value)
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    return None


def recorded_date(rec: dict[str, Any]) -> datetime | None:
    """The ``Date`` header of a recorded line (when that answer was true), if any."""
    return header_time((rec.get("headers") or {}).get("Date"))


REPLAY_PATTERNS = ("*.jsonl", "*.jsonl.gz", "*.jsonl.xz")


def recorded_lines(replay_dir: Path) -> Iterator[dict[str, Any]]:
    """Every recorded response of a folder's ``*.jsonl``, ``*.jsonl.gz`` and
    ``*.jsonl.xz`` files (xz's large window lets a bundle hold the same text twice, as
    Firebase items and as Algolia trees, at the cost of once)."""
    files = sorted(file for pattern in REPLAY_PATTERNS for file in replay_dir.glob(pattern))
    if not files:
        raise FileNotFoundError(
            f"no recorded responses ({', '.join(REPLAY_PATTERNS)}) in {replay_dir}"
        )
    for file in files:
        opener = {".gz": gzip.open, ".xz": lzma.open}.get(file.suffix, open)
        with opener(file, "rt", encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)


def recorded_response(rec: dict[str, Any], request: httpx.Request | None = None) -> httpx.Response:
    """An httpx response from one recorded line."""
    headers = rec.get("headers") or {}
    if "body_text" in rec:
        return httpx.Response(
            rec["status"], text=rec["body_text"], headers=headers, request=request
        )
    return httpx.Response(rec["status"], json=rec["body"], headers=headers, request=request)


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


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, RetryableStatusError | httpx.TransportError)


class HttpClient:
    """JSON GETs with a timeout, a per-host rate limit, bounded retries and validators.

    Every call is bounded: at most ``http_max_attempts`` attempts, and all of them with
    their waits (``Retry-After`` included) and body reads within ``http_deadline_s``; a
    body over ``http_max_bytes`` is refused.
    """

    def __init__(
        self,
        settings: Settings,
        transport: httpx.BaseTransport | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if transport is None and settings.mode == "replay":
            transport = ReplayTransport(settings.replay_dir)
        self._replay = transport if isinstance(transport, ReplayTransport) else None
        # Recorded answers served in process cannot stall, so they need no watchdog
        # thread (which costs about half of each request's time in a replayed backfill).
        self._in_process = isinstance(transport, ReplayTransport)
        limit = 0.0 if settings.mode == "replay" else settings.requests_per_second
        self._limiter = RateLimiter(limit)
        self._timeout_s = settings.http_timeout_s
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(settings.http_timeout_s, connect=5.0),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
            follow_redirects=False,
        )
        self.max_attempts = settings.http_max_attempts
        self.backoff_initial = settings.http_backoff_initial_s
        self.deadline_s = settings.http_deadline_s
        self.max_bytes = settings.http_max_bytes
        self.requests = 0

    def __enter__(self) -> HttpClient:
        return self

    def recorded_days(self, paths: set[str]) -> Iterator[datetime | None]:
        """The days to observe snapshot sources (job boards) on: live, once, now (None);
        in replay, once per day on which ``paths`` were recorded, oldest first, with the
        transport serving each request as recorded that day."""
        days = self._replay.recorded_days(paths) if self._replay else []
        if not days:
            yield None
            return
        try:
            for day in days:
                self._replay.as_of = day  # type: ignore[union-attr]
                yield day
        finally:
            self._replay.as_of = None  # type: ignore[union-attr]

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``url`` and decode JSON; raises on a final failure."""
        return self.get(url, params).data

    def get(
        self,
        url: str,
        params: dict[str, Any] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> JsonResponse:
        """Conditional GET: with a validator from the last fetch, 304 means unchanged.

        Raises ``httpx.HTTPStatusError`` for a final 4xx/5xx or a redirect (never
        followed), ``httpx.TransportError`` after the retry budget or past the deadline,
        ``BadResponseError`` for a body that is not JSON or is over the size cap.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.deadline_s

        def wait(state: RetryCallState) -> float:
            """Exponential backoff with jitter, or the server's ``Retry-After``."""
            seconds = wait_exponential_jitter(initial=self.backoff_initial, max=30, jitter=0.5)(
                state
            )
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, RetryableStatusError):
                retry_after = exc.response.headers.get("Retry-After", "")
                if retry_after.isdigit():
                    seconds = float(retry_after)
            return seconds

        def stop(state: RetryCallState) -> bool:
            # tenacity computes the wait before asking to stop. A wait that reaches the
            # deadline would leave the next attempt no time to get an answer, so the
            # last real answer (a 429 asking for an hour, say) is what the caller gets.
            out_of_time = time.monotonic() + (state.upcoming_sleep or 0.0) >= deadline
            return out_of_time or stop_after_attempt(self.max_attempts)(state)

        retrying = Retrying(
            retry=retry_if_exception(_is_retryable), wait=wait, stop=stop, reraise=True
        )
        return retrying(self._attempt, url, params, headers, deadline)

    def _attempt(
        self, url: str, params: dict[str, Any] | None, headers: dict[str, str], deadline: float
    ) -> JsonResponse:
        remaining = max(0.1, deadline - time.monotonic())
        # No single read may wait past the deadline either.
        timeout = httpx.Timeout(min(self._timeout_s, remaining), connect=min(5.0, remaining))
        request = self._client.build_request(
            "GET", url, params=params, headers=headers, timeout=timeout
        )
        self._limiter.wait(request.url.host)
        self.requests += 1
        response = self._send(request, remaining)
        try:
            return self._read(request, response, deadline)
        finally:
            response.close()

    def _send(self, request: httpx.Request, within_s: float) -> httpx.Response:
        """Send and wait for the status line and headers, ``within_s`` at most.

        httpx's read timeout restarts with every byte, so headers trickled one byte at a
        time would never time out. The send runs in a daemon thread that is abandoned at
        the deadline (its response, should one still come, is closed at once).
        """
        if self._in_process:
            return self._client.send(request, stream=True)
        outcome: dict[str, Any] = {}
        abandoned = threading.Event()

        def send() -> None:
            try:
                response = self._client.send(request, stream=True)
            except BaseException as exc:  # handed to the caller below
                outcome["error"] = exc
                return
            outcome["response"] = response
            if abandoned.is_set():
                response.close()

        worker = threading.Thread(target=send, name="hs-http-send", daemon=True)
        worker.start()
        worker.join(within_s)
        if worker.is_alive():
            abandoned.set()
            raise DeadlineExceededError(
                f"{request.url}: no complete response headers after the "
                f"{self.deadline_s:g}s deadline",
                request=request,
            )
        if "error" in outcome:
            raise outcome["error"]
        return outcome["response"]

    def _read(
        self, request: httpx.Request, response: httpx.Response, deadline: float
    ) -> JsonResponse:
        if response.status_code in RETRYABLE_STATUS:
            retry_after = response.headers.get("Retry-After")
            raise RetryableStatusError(
                f"HTTP {response.status_code} from {request.url}"
                + (f" (Retry-After: {retry_after})" if retry_after else ""),
                request=request,
                response=response,
            )
        if response.has_redirect_location:
            location = response.headers.get("Location", "?")
            raise httpx.HTTPStatusError(
                f"HTTP {response.status_code} redirect from {request.url} to {location} "
                "not followed (redirects are refused)",
                request=request,
                response=response,
            )
        validators = (response.headers.get("ETag"), response.headers.get("Last-Modified"))
        if response.status_code == 304:
            date = response.headers.get("Date")
            return JsonResponse(str(request.url), 304, None, *validators, date)
        response.raise_for_status()
        body = self._body(request, response, deadline)
        try:
            data = scrub_surrogates(json.loads(body))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            kind = response.headers.get("Content-Type", "unknown content type")
            raise BadResponseError(
                str(request.url),
                f"body is not valid JSON ({kind}): {exc}",
                body[:2000].decode("utf-8", "replace"),
            ) from None
        except RecursionError:
            raise BadResponseError(
                str(request.url),
                "body is JSON nested too deeply to read",
                body[:2000].decode("utf-8", "replace"),
            ) from None
        date = response.headers.get("Date")
        return JsonResponse(str(request.url), response.status_code, data, *validators, date)

    def _body(self, request: httpx.Request, response: httpx.Response, deadline: float) -> bytes:
        """The whole body, refused past the size cap and cut off at the deadline (a
        server trickling bytes never trips the per-read timeout)."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise ResponseTooLargeError(str(request.url), self.max_bytes, int(declared))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise ResponseTooLargeError(str(request.url), self.max_bytes)
            if time.monotonic() > deadline:
                raise DeadlineExceededError(
                    f"{request.url}: body not complete after the {self.deadline_s:g}s "
                    f"deadline ({size} bytes received)",
                    request=request,
                )
            chunks.append(chunk)
        return b"".join(chunks)


def scrub_surrogates(value: Any) -> Any:
    """``value`` with lone UTF-16 surrogates (JSON escapes like ``\\udcff``, which
    UTF-8 cannot encode) replaced by U+FFFD, as a browser shows invalid text."""
    if isinstance(value, str):
        if value.isascii():
            return value
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [scrub_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {scrub_surrogates(k): scrub_surrogates(v) for k, v in value.items()}
    return value
