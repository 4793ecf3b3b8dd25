"""Parquet export of the published marts, for tools that read files rather than DuckDB.

``data/export/`` holds one directory per mart and ``_snapshot.json`` naming the
published snapshot the files come from. Large fact tables are partitioned hive-style by
month (``fct_job_postings/posting_month=2025-10-01/data_0.parquet``); the others are one
file each (``dim_skills/data.parquet``).

An export is never changed in place. Each one is written in full to a hidden directory
under ``data/.export-versions/``, checked (rows read back from the Parquet files equal
the mart's), renamed to its final version name, and then ``data/export`` (a symbolic
link) is pointed at it by renaming a new link over the old one. A reader that opens
``data/export/...`` therefore sees one whole export, never a half-written one or a mix
of two snapshots. The previous version is kept for readers still busy with it; older
ones are removed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hiring_signals.settings import Settings
from hiring_signals.warehouse import connect_read_only

# Fact tables large enough to split by month: table -> partition column.
PARTITIONED = {"fct_job_postings": "posting_month", "fct_posting_skills": "posting_month"}
EXPORT_DIR = "export"
VERSIONS_DIR = ".export-versions"
SNAPSHOT_FILE = "_snapshot.json"
KEEP_VERSIONS = 2  # the current export and the one before it
STALE_PARTIAL_S = 24 * 3600  # partial exports older than this were left by a crash


@dataclass
class ExportResult:
    snapshot_id: str
    path: Path
    version: Path
    tables: dict[str, int]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def parquet_glob(table_dir: Path) -> str:
    """The glob that reads one exported table, partitioned or not."""
    return str(table_dir / "**" / "*.parquet")


def _write_table(con, table: str, target: Path) -> int:
    """Write one mart as Parquet under ``target``; returns the rows read back."""
    source = f"select * from marts.{_ident(table)}"
    partition = PARTITIONED.get(table)
    if partition:
        con.execute(
            f"copy ({source}) to {_literal(str(target))} "
            f"(format parquet, partition_by ({_ident(partition)}))"
        )
    else:
        target.mkdir()
        con.execute(f"copy ({source}) to {_literal(str(target / 'data.parquet'))} (format parquet)")
    (exported,) = con.execute(
        "select count(*) from read_parquet(?, hive_partitioning = ?)",
        [parquet_glob(target), bool(partition)],
    ).fetchone()
    (expected,) = con.execute(f"select count(*) from marts.{_ident(table)}").fetchone()
    if exported != expected:
        raise RuntimeError(f"export of {table}: {exported} rows in Parquet, {expected} in the mart")
    return exported


def _swap_link(link: Path, version: Path) -> None:
    """Point ``link`` at ``version`` atomically (a new link renamed over the old one)."""
    new_link = link.with_name(f".{link.name}.link-{time.time_ns()}")
    new_link.symlink_to(version.relative_to(link.parent), target_is_directory=True)
    os.replace(new_link, link)


def _prune(versions: Path, current: Path) -> None:
    finished = sorted(p for p in versions.iterdir() if not p.name.startswith("."))
    for old in finished[:-KEEP_VERSIONS]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
    now = time.time()
    for partial in versions.glob(".*"):
        if now - partial.stat().st_mtime > STALE_PARTIAL_S:
            shutil.rmtree(partial, ignore_errors=True)


def export_marts(settings: Settings) -> ExportResult:
    """Export every mart of the published warehouse; see the module docstring."""
    link = settings.data_dir / EXPORT_DIR
    if link.exists() and not link.is_symlink():
        raise FileExistsError(
            f"{link} exists and is not an export link: move it away, then export again"
        )
    versions = settings.data_dir / VERSIONS_DIR
    versions.mkdir(parents=True, exist_ok=True)
    exported_at = datetime.now(UTC)
    with connect_read_only(settings.analytics_db) as con:
        snapshot_id, published_at = con.execute(
            "select snapshot_id, published_at from meta.snapshots "
            "order by published_at desc limit 1"
        ).fetchone()
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        stamp = exported_at.strftime("%Y%m%dT%H%M%S%fZ")
        partial = Path(tempfile.mkdtemp(prefix=f".{stamp}-", dir=versions))
        partial.chmod(0o755)  # mkdtemp makes it private; the export is for other readers
        try:
            rows = {table: _write_table(con, table, partial / table) for table in tables}
            manifest = {
                "snapshot_id": snapshot_id,
                "published_at": published_at.isoformat(),
                "exported_at": exported_at.isoformat(),
                "tables": {
                    table: {
                        "rows": rows[table],
                        "path": f"{table}/",
                        "partitioned_by": PARTITIONED.get(table),
                    }
                    for table in tables
                },
            }
            (partial / SNAPSHOT_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    version = versions / f"{stamp}-{snapshot_id}"
    partial.rename(version)
    _swap_link(link, version)
    _prune(versions, version)
    return ExportResult(snapshot_id, link, version, rows)
