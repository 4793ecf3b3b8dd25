"""The same landing always builds the same marts, row for row and byte for byte.

Compared: builds over a landing that grew in two increments, a rerun over the unchanged
landing, and a full rebuild of a copy of that landing into a fresh database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hiring_signals.warehouse import connect_read_only
from tests.conftest import CLI

pytestmark = pytest.mark.slow
BACKFILL = ("--since", "2020-06-01", "--until", "2025-06-30")


def cli(data_dir: Path, *args: str) -> None:
    env = {**os.environ, "HS_MODE": "replay", "DO_NOT_TRACK": "1", "HS_DATA_DIR": str(data_dir)}
    done = subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"hiring-signals {args}:\n{done.stdout}\n{done.stderr}"


def row_hashes(db: Path) -> dict[str, list[str]]:
    """Per mart, the sorted md5 of every row's full text (all columns, lineage included)."""
    with connect_read_only(db) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            t: [
                h
                for (h,) in con.execute(
                    f"select md5(cast(r as varchar)) as h from marts.{t} as r order by h"
                ).fetchall()
            ]
            for t in tables
        }


def differences(expected: dict[str, list[str]], actual: dict[str, list[str]]) -> list[str]:
    """One line per mart whose rows differ, with how many rows on each side differ."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        before, after = expected.get(table), actual.get(table)
        if before == after:
            continue
        if before is None or after is None:
            lines.append(f"{table}: only in one build")
            continue
        gone, new = len(set(before) - set(after)), len(set(after) - set(before))
        lines.append(f"{table}: {gone} rows missing, {new} rows new of {len(before)}")
    return lines


def test_same_landing_builds_identical_marts_incrementally_on_rerun_and_from_scratch(
    tmp_path: Path,
):
    grown = tmp_path / "grown"
    # First increment: an HN backfill of the older months (June 2020 - June 2025).
    cli(grown, "ingest", "--source", "hn_whoishiring", *BACKFILL)
    cli(grown, "build")
    first_increment = row_hashes(grown / "build.duckdb")
    cli(grown, "ingest")  # second: everything else, the newer threads and the boards
    cli(grown, "build")
    incremental = row_hashes(grown / "build.duckdb")
    assert incremental != first_increment, "the second increment must change the marts"

    cli(grown, "build")
    assert differences(incremental, row_hashes(grown / "build.duckdb")) == [], "rerun differs"

    scratch = tmp_path / "scratch"
    shutil.copytree(grown / "landing", scratch / "landing")
    cli(scratch, "build")
    rebuilt = row_hashes(scratch / "build.duckdb")
    assert differences(incremental, rebuilt) == [], "full rebuild differs from incremental"
    assert sum(len(rows) for rows in rebuilt.values()) > 11_000  # the fixture: 11,236 rows
