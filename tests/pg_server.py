"""A throwaway PostgreSQL server for tests: a new cluster in a temporary folder, started
on a free port of 127.0.0.1, stopped and deleted on exit.

Debian keeps the server programs in /usr/lib/postgresql/<version>/bin, off PATH: the
newest version there is used (``HS_PG_BINDIR`` points elsewhere). PostgreSQL refuses to
run as root, so when the tests run as root (CI does) every server command runs as the
``postgres`` OS user, which the Debian package creates, in a folder that user owns.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MIN_MAJOR_VERSION = 15  # regexp_instr and regexp_substr (macros/portable/regex.sql)
SUPERUSER = "postgres"
DATABASE = "hiring_signals"


def find_bindir() -> Path | None:
    """The folder of initdb / pg_ctl to use, or None when no server is installed."""
    override = os.environ.get("HS_PG_BINDIR")
    if override:
        return Path(override)
    debian = [Path(p).parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    if debian:
        return max(debian, key=lambda b: int(b.parent.name) if b.parent.name.isdigit() else 0)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def major_version(bindir: Path) -> int:
    out = subprocess.run(
        [str(bindir / "initdb"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    if not match:
        raise RuntimeError(f"cannot read the version of {bindir / 'initdb'}: {out!r}")
    return int(match.group(1))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    bindir: Path
    host: str = "127.0.0.1"
    port: int = 0
    user: str = SUPERUSER
    dbname: str = DATABASE

    def env(self) -> dict[str, str]:
        """The HS_PG_* variables that point the loader and dbt's profile here."""
        return {
            "HS_PG_HOST": self.host,
            "HS_PG_PORT": str(self.port),
            "HS_PG_USER": self.user,
            "HS_PG_PASSWORD": "",
            "HS_PG_DBNAME": self.dbname,
            "HS_PG_SCHEMA": "public",
        }

    def _run(self, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        return subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=120, check=False
        )

    @contextmanager
    def running(self) -> Iterator[PostgresServer]:
        root = Path(tempfile.mkdtemp(prefix="hs-postgres-"))
        data = root / "data"
        log = root / "server.log"
        started = False
        try:
            if os.geteuid() == 0:
                account = pwd.getpwnam(SUPERUSER)  # KeyError: no postgres OS user
                os.chown(root, account.pw_uid, account.pw_gid)
            init = self._run(
                root,
                "initdb",
                "--pgdata",
                str(data),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",  # loopback only, thrown away after the test
                "--encoding",
                "UTF8",
                # Byte-order text comparisons (as DuckDB's), Unicode lower() and upper().
                "--lc-collate",
                "C",
                "--lc-ctype",
                "C.UTF-8",
                "--no-sync",
            )
            if init.returncode != 0:
                raise RuntimeError(f"initdb failed:\n{init.stdout}\n{init.stderr}")
            self.port = _free_port()
            options = " ".join(
                [
                    f"-p {self.port}",
                    f"-c listen_addresses={self.host}",
                    f"-k {root}",  # its Unix socket stays in the temporary folder
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c jit=off",
                ]
            )
            start = self._run(
                root,
                "pg_ctl",
                "--pgdata",
                str(data),
                "--log",
                str(log),
                "-o",
                options,
                "-w",
                "start",
            )
            started = start.returncode == 0
            if not started:
                server_log = log.read_text() if log.exists() else ""
                raise RuntimeError(f"pg_ctl start failed:\n{start.stderr}\n{server_log}")
            self._create_database()
            yield self
        finally:
            if started:
                stop = self._run(root, "pg_ctl", "--pgdata", str(data), "-m", "fast", "-w", "stop")
                if stop.returncode != 0:
                    self._run(root, "pg_ctl", "--pgdata", str(data), "-m", "immediate", "stop")
            shutil.rmtree(root, ignore_errors=True)

    def _create_database(self) -> None:
        import psycopg2

        connection = psycopg2.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres"
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'create database "{self.dbname}"')
        finally:
            connection.close()
