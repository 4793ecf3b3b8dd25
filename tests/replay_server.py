"""A real HTTP server on loopback that replays recorded API responses.

Serves the recorded responses of ``sample_data/replay/*.jsonl`` keyed by path and query,
like the replay transport, so tests exercise the live-mode HTTP client over a socket.
Tests can override a response, queue faults per path (status codes, delays, raw
bodies, dropped connections) and read the log of requests.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from hiring_signals.http import canonical_query, recorded_lines


@dataclass
class Fault:
    """One faulty answer: a status with an optional raw body, a delay, or a dropped socket."""

    status: int = 200
    body_text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    drop: bool = False


class ReplayServer:
    def __init__(self, replay_dir: Path) -> None:
        self.responses: dict[tuple[str, str], tuple[int, Any]] = {}
        # A recorded Date header (a capture's time) is sent in place of the server's own.
        self.dates: dict[tuple[str, str], str] = {}
        # Recorded raw bodies (``body_text``, e.g. a real 0-byte answer), sent as they are.
        self.raw_bodies: dict[tuple[str, str], str] = {}
        for rec in recorded_lines(replay_dir):
            key = (rec["path"], rec["query"])
            self.responses[key] = (rec["status"], rec.get("body"))
            if "body_text" in rec:
                self.raw_bodies[key] = rec["body_text"]
            if date := (rec.get("headers") or {}).get("Date"):
                self.dates[key] = date
        # A Date sent with every answer in place of the recorded one (a test's "tomorrow").
        self.now: str | None = None
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        # Paths that send an ETag and answer 304 when the client presents it.
        self.etags: dict[str, str] = {}
        self.requests: list[str] = []
        self.request_headers: list[dict[str, str]] = []
        self.user_agents: set[str] = set()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def body(self, path: str, query: str = "") -> Any:
        """The recorded body for ``path``, to edit in place."""
        return self.responses[(path, query)][1]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            _date: str | None = None

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                key = (parts.path, canonical_query(dict(parse_qsl(parts.query))))
                self._date = server.now or server.dates.get(key)
                server.requests.append(self.path)
                server.request_headers.append(dict(self.headers))
                server.user_agents.add(self.headers.get("User-Agent", ""))
                queued = server.faults.get(parts.path)
                if queued:
                    self._fault(queued.pop(0))
                    return
                status, body = server.responses.get(key, (404, {"error": "not recorded"}))
                etag = server.etags.get(parts.path)
                if etag and self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", {"ETag": etag})
                    return
                headers = {"ETag": etag} if etag else {}
                if key in server.raw_bodies:
                    headers["Content-Type"] = "text/plain; charset=utf-8"
                    self._send(status, server.raw_bodies[key].encode(), headers)
                    return
                self._send(status, json.dumps(body).encode(), headers)

            def date_time_string(self, timestamp: float | None = None) -> str:
                return self._date or super().date_time_string(timestamp)

            def _fault(self, fault: Fault) -> None:
                time.sleep(fault.delay_s)
                if fault.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                self._send(fault.status, (fault.body_text or "").encode(), fault.headers)

            def _send(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                headers = {"Content-Type": "application/json", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):  # client gave up
                    self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    @contextmanager
    def running(self) -> Iterator[ReplayServer]:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
