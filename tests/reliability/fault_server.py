"""The loopback replay server plus the faults a hostile network produces.

Recorded responses are served as by :class:`ReplayServer`; a request whose path and query
contain a registered pattern gets that pattern's fault instead, on every request until the
fault's ``times`` run out: a body or headers trickled byte by byte, a storm of one status, a
redirect, an oversized body (declared or streamed without a length), or a connection
reset after part of the body.
"""

from __future__ import annotations

import socket
import struct
import time
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.replay_server import ReplayServer

BODY = b'{"hits": [], "jobs": [], "data": {"children": []}}'


@dataclass
class NetFault:
    """One kind of bad answer. ``times`` None: every request, forever."""

    kind: str  # "slow_body" | "slow_headers" | "status" | "redirect" | "oversized" | "reset"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    location: str = ""
    size: int = 0  # oversized: bytes sent
    declare_length: bool = True  # oversized: with a Content-Length header
    interval_s: float = 0.2  # slow_body, slow_headers: one byte per interval
    times: int | None = None


class FaultServer(ReplayServer):
    def __init__(self, replay_dir: Path) -> None:
        super().__init__(replay_dir)
        self.net_faults: dict[str, NetFault] = {}

    def hits(self, pattern: str) -> int:
        """Requests whose path and query contain ``pattern``."""
        return sum(pattern in r for r in self.requests)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self
        replay = super()._handler()

        class Handler(replay):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                for pattern, fault in server.net_faults.items():
                    if pattern in self.path and fault.times != 0:
                        if fault.times is not None:
                            fault.times -= 1
                        server.requests.append(self.path)
                        with suppress(BrokenPipeError, ConnectionResetError):
                            self._net_fault(fault)
                        return
                super().do_GET()

            def _net_fault(self, fault: NetFault) -> None:
                if fault.kind == "status":
                    self._send(fault.status, b"{}", fault.headers)
                elif fault.kind == "redirect":
                    status = fault.status if 300 <= fault.status < 400 else 302
                    self._send(status, b"", {"Location": fault.location})
                elif fault.kind == "slow_body":
                    self._head(len(BODY))
                    for byte in BODY:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(fault.interval_s)
                elif fault.kind == "slow_headers":
                    # A header line that never ends: one byte per interval, forever.
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Trickle: ")
                    while True:
                        self.wfile.write(b"a")
                        self.wfile.flush()
                        time.sleep(fault.interval_s)
                elif fault.kind == "oversized":
                    self._head(fault.size if fault.declare_length else None)
                    chunk = b"[" + b"0," * 32_767
                    sent = 0
                    while sent < fault.size:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                elif fault.kind == "reset":
                    self._head(len(BODY) * 10)
                    self.wfile.write(BODY[:10])
                    self.wfile.flush()
                    # SO_LINGER 0: close sends RST, the client sees a reset mid-body.
                    linger = struct.pack("ii", 1, 0)
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    self.close_connection = True
                    self.connection.close()
                else:
                    raise ValueError(f"unknown fault kind {fault.kind!r}")

            def _head(self, length: int | None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if length is not None:
                    self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.flush()

        return Handler
