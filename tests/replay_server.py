"""A real HTTP server on loopback that replays recorded API responses.

Serves ``sample_data/hn_replay/responses.jsonl`` (or any file of that shape) keyed by
path and query, like the replay transport, so tests exercise the live-mode HTTP client
over a socket. Responses can be overridden per path and every request is logged.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from hiring_signals.http import canonical_query


class ReplayServer:
    def __init__(self, responses_file: Path) -> None:
        self.responses: dict[tuple[str, str], tuple[int, Any]] = {}
        for line in responses_file.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            self.responses[(rec["path"], rec["query"])] = (rec["status"], rec["body"])
        self.requests: list[str] = []
        self.user_agents: set[str] = set()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                key = (parts.path, canonical_query(dict(parse_qsl(parts.query))))
                server.requests.append(self.path)
                server.user_agents.add(self.headers.get("User-Agent", ""))
                status, body = server.responses.get(key, (404, {"error": "not recorded"}))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    @contextmanager
    def running(self) -> Iterator[ReplayServer]:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
