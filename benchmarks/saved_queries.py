"""Latency of the saved analyst queries (queries/*.sql) on the published warehouse.

    python benchmarks/saved_queries.py [--runs 20] [--db PATH] [--output FILE]

One read-only connection, as an analyst's session has. Each query runs once untimed
first (the warm-up reads the file's pages from disk; its time is reported as
``first_ms``), then ``--runs`` times; each run's time is execute plus fetching every
row. Prints JSON with p50 and p95 (nearest rank) in milliseconds per query and writes it
to ``--output`` (default ``data/benchmarks/saved_queries.json``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from hiring_signals.settings import REPO_ROOT, load_settings
from hiring_signals.warehouse import connect_read_only


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct% of values <= it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def timed(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, int]:
    started = time.perf_counter()
    rows = con.execute(sql).fetchall()
    return (time.perf_counter() - started) * 1000, len(rows)


def measure(db: Path, queries: list[Path], runs: int) -> dict:
    results = {}
    with connect_read_only(db) as con:
        (snapshot_id,) = con.execute(
            "select snapshot_id from meta.snapshots order by published_at desc limit 1"
        ).fetchone()
        for path in queries:
            sql = path.read_text()
            first_ms, rows = timed(con, sql)
            times = [timed(con, sql)[0] for _ in range(runs)]
            results[path.stem] = {
                "rows": rows,
                "first_ms": round(first_ms, 2),
                "p50_ms": round(percentile(times, 50), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "max_ms": round(max(times), 2),
            }
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": str(db),
        "snapshot_id": snapshot_id,
        "runs": runs,
        "duckdb": duckdb.__version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "queries": results,
    }


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (20)")
    parser.add_argument("--db", type=Path, default=settings.analytics_db)
    parser.add_argument("--queries", type=Path, default=REPO_ROOT / "queries")
    parser.add_argument(
        "--output", type=Path, default=settings.data_dir / "benchmarks" / "saved_queries.json"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    queries = sorted(args.queries.glob("*.sql"))
    if not queries:
        parser.error(f"no *.sql files in {args.queries}")
    try:
        report = measure(args.db, queries, args.runs)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    text = json.dumps(report, indent=2)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n")
    width = max(len(name) for name in report["queries"])
    for name, q in report["queries"].items():
        print(
            f"{name:<{width}}  p50 {q['p50_ms']:8.2f} ms  p95 {q['p95_ms']:8.2f} ms  "
            f"({q['rows']} rows, {args.runs} runs)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
