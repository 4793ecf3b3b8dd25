"""The landing in Postgres, for dbt's ``postgres`` target.

DuckDB reads the landing's gzipped JSON lines in place; Postgres cannot. ``load_landing``
copies every landed line into a raw table per source, ``landing.<source>`` (the line as
``record jsonb``, its ``filename`` relative to the landing folder and its 1-based
``line_number``), and every manifest into ``landing.manifests`` (one row per manifest).
The staging models type the fields of ``record`` the way DuckDB's ``read_json`` types
the files (dbt_project/macros/portable/landing.sql).

Each load replaces all the raw tables in one transaction, so dbt sees the previous load
or this one, never a mix. Lines go in with ``COPY``. A line that is not JSON is loaded
with a null record (DuckDB reads such a line as an all-null row; both are dropped in
staging, and ``validate_landing`` has quarantined it). Postgres text cannot hold NUL
characters or unpaired UTF-16 surrogates: those are dropped from a record (NUL) or
replaced by U+FFFD, and counted.

The connection comes from the same ``HS_PG_*`` variables as dbt's profile.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hiring_signals.landing import DATA_SUFFIX, MANIFEST_SUFFIX, iter_records
from hiring_signals.settings import Settings
from hiring_signals.sources import registry
from hiring_signals.warehouse import prepare_landing, run_dbt

RAW_SCHEMA = "landing"
MANIFESTS_TABLE = "manifests"


@dataclass(frozen=True)
class PostgresTarget:
    """Where dbt's ``postgres`` target and the loader connect (``HS_PG_*``)."""

    host: str
    port: int
    user: str
    password: str
    dbname: str
    schema: str

    @classmethod
    def from_env(cls) -> PostgresTarget:
        env = os.environ
        return cls(
            host=env.get("HS_PG_HOST", "127.0.0.1"),
            port=int(env.get("HS_PG_PORT", "5432")),
            user=env.get("HS_PG_USER", "postgres"),
            password=env.get("HS_PG_PASSWORD", ""),
            dbname=env.get("HS_PG_DBNAME", "hiring_signals"),
            schema=env.get("HS_PG_SCHEMA", "public"),
        )

    def connect(self):  # -> psycopg2 connection
        import psycopg2  # only the Postgres commands need it

        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=self.dbname,
            application_name="hiring-signals-loader",
        )


@dataclass
class LoadResult:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows loaded
    files: int = 0
    unreadable_lines: int = 0  # loaded with a null record (not JSON)
    cleaned_lines: int = 0  # NUL characters dropped or surrogates replaced
    elapsed_s: float = 0.0


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python reads them, jsonb not


def _needs_cleaning(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_needs_cleaning(k) or _needs_cleaning(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_needs_cleaning(v) for v in value)
    return False


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        text = value.replace("\x00", "")
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def jsonb_text(raw: str, result: LoadResult | None = None) -> str | None:
    """The text Postgres stores as the line's record, or None when the line is not JSON."""
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        if result is not None:
            result.unreadable_lines += 1
        return None
    if not _needs_cleaning(value):
        return raw.strip()  # jsonb parses it as it is
    if result is not None:
        result.cleaned_lines += 1
    return json.dumps(_cleaned(value), ensure_ascii=False)


def _csv_rows(rows: Iterator[tuple[str | None, str, int]]) -> io.StringIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for record, filename, line_number in rows:
        # An unquoted empty field is NULL in COPY's CSV format; a record is never ''.
        writer.writerow(["" if record is None else record, filename, line_number])
    buffer.seek(0)
    return buffer


def _data_rows(path: Path, relative: str, result: LoadResult):
    for number, raw in iter_records(path):
        yield jsonb_text(raw, result), relative, number


def _manifest_rows(paths: list[Path], landing_dir: Path, result: LoadResult):
    for path in paths:
        raw = path.read_text(encoding="utf-8", errors="surrogateescape")
        yield jsonb_text(raw, result), str(path.relative_to(landing_dir)), 1


def _recreate(cursor, table: str) -> None:
    cursor.execute(f'drop table if exists "{RAW_SCHEMA}"."{table}"')
    cursor.execute(
        f'create table "{RAW_SCHEMA}"."{table}" '
        "(record jsonb, filename text not null, line_number integer not null)"
    )


def _copy(cursor, table: str, rows) -> int:
    buffer = _csv_rows(rows)
    cursor.copy_expert(
        f'copy "{RAW_SCHEMA}"."{table}" (record, filename, line_number) '
        "from stdin with (format csv)",
        buffer,
    )
    return cursor.rowcount


def load_landing(landing_dir: Path, target: PostgresTarget | None = None) -> LoadResult:
    """Replace the raw tables with the current landing (committed batches only)."""
    target = target or PostgresTarget.from_env()
    started = time.monotonic()
    result = LoadResult()
    connection = target.connect()
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(f'create schema if not exists "{RAW_SCHEMA}"')
            for source in registry.names():
                _recreate(cursor, source)
                loaded = 0
                for path in sorted((landing_dir / source).glob(f"dt=*/*{DATA_SUFFIX}")):
                    relative = str(path.relative_to(landing_dir))
                    loaded += _copy(cursor, source, _data_rows(path, relative, result))
                    result.files += 1
                result.rows[source] = loaded
            _recreate(cursor, MANIFESTS_TABLE)
            manifests = sorted(landing_dir.glob(f"*/dt=*/*{MANIFEST_SUFFIX}"))
            result.rows[MANIFESTS_TABLE] = _copy(
                cursor, MANIFESTS_TABLE, _manifest_rows(manifests, landing_dir, result)
            )
            result.files += len(manifests)
            for table in [*registry.names(), MANIFESTS_TABLE]:
                cursor.execute(f'analyze "{RAW_SCHEMA}"."{table}"')
    finally:
        connection.close()
    result.elapsed_s = time.monotonic() - started
    return result


@dataclass
class PostgresBuildResult:
    success: bool
    load: LoadResult
    dbt_exit_code: int
    target_dir: Path


def build_postgres(
    settings: Settings, on_line: Callable[[str], None] | None = None
) -> PostgresBuildResult:
    """Quarantine, load the landing into Postgres, then ``dbt build --target postgres``
    (both connect as ``HS_PG_*`` say)."""
    prepare_landing(settings)
    load = load_landing(settings.landing_dir)
    code, target_dir = run_dbt(settings, ["build"], on_line, target="postgres")
    return PostgresBuildResult(code == 0, load, code, target_dir)
