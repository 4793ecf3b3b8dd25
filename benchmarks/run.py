"""Benchmarks of each stage against a baseline measured in the same run.

    python benchmarks/run.py --postings 1000000 [--work-dir DIR] [--output-dir benchmarks/results]

Steps, on synthetic postings landed by ``synth.py`` through the real parser and writer:

- ingest: records/s of our parse + batch write vs DuckDB's native ``read_json`` loading
  the same files into a table (the practical limit for getting them into DuckDB);
- build: a full ``dbt build`` (unit tests excluded: they do not scale with data): wall
  time, peak RSS of the dbt process, dbt's fixed start-up, model execution time and
  seconds per million postings;
- classify: postings/s of the classifier models (rules and learned) vs a plain ``LIKE``
  scan of the same table for as many terms;
- queries: p50/p95 of the saved analyst queries on the published warehouse vs the same
  question asked of the raw landing files; saved queries that read pre-aggregated marts
  are also timed against their per-posting formulation (``per_posting_queries/``), whose
  rows they must equal;
- incremental: one day of new postings (``synth.generate_day``: postings / 1000) landed
  on top of the built history and the same ``dbt build`` run again: its model time
  against the full build's (the ratio), with dbt's fixed start-up and the tests apart.

Writes ``<postings>.json`` and ``<postings>.md`` to the output directory.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from saved_queries import percentile
from synth import generate, generate_day

from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only, dbt_command, dbt_env

CLASSIFIER_MODELS = (
    "int_posting_terms_matched",
    "int_postings_classified",
    "int_posting_features",
    "int_postings_scored",
)
PER_POSTING_QUERIES = Path(__file__).resolve().parent / "per_posting_queries"
LANDING_GLOB = "landing/hn_whoishiring/dt=*/*.jsonl.gz"
# The ML share by month straight from the landing: what an analyst would have to write
# without the warehouse (thread month from the record, ML from a title-ish regex).
RAW_ML_SHARE_SQL = """
select thread_month as month, count(*) as postings,
       avg(case when regexp_matches(lower(split_part(text, chr(10), 1)),
           '\\b(machine learning|ml|deep learning|llm|ai)\\b') then 1 else 0 end) as ml_share
from read_json('{glob}', format = 'newline_delimited')
group by 1 order by 1
"""


def _load_settings(data_dir: Path):
    os.environ["HS_DATA_DIR"] = str(data_dir)
    from hiring_signals.settings import load_settings

    return load_settings()


def bench_ingest(data_dir: Path, postings: int, seed: int) -> dict:
    generated = generate(data_dir, postings, seed, quiet=True)
    ours = postings / generated["parse_write_s"]
    glob = str(data_dir / LANDING_GLOB)
    with duckdb.connect() as con:
        started = time.perf_counter()
        con.execute(f"create table landed as select * from read_json('{glob}')")
        native_s = time.perf_counter() - started
        (rows,) = con.execute("select count(*) from landed").fetchone()
    if rows != postings:
        raise RuntimeError(f"read_json saw {rows} records, the generator wrote {postings}")
    native = postings / native_s
    return {
        "ours_records_per_s": round(ours),
        "duckdb_read_json_records_per_s": round(native),
        "ratio": round(ours / native, 3),
        "generate_s": round(generated["total_s"], 1),
    }


def dbt_build(data_dir: Path) -> dict:
    """One ``dbt build`` (unit tests excluded: they do not scale with the data): wall
    time, peak RSS, dbt's fixed start-up and the execution time of each node."""
    settings = _load_settings(data_dir)
    target = data_dir / "dbt" / "target"
    command = dbt_command(settings, ["build", "--exclude-resource-type", "unit_test"], target)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=dbt_env(settings), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    # wait4 gives this child's own resource usage: its peak RSS (KiB on Linux).
    _, status, usage = os.wait4(process.pid, 0)
    wall_s = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"dbt build failed:\n{output[-3000:]}")
    results = json.loads((target / "run_results.json").read_text())

    def seconds(kind: str) -> float:
        return sum(
            r["execution_time"] for r in results["results"] if r["unique_id"].startswith(kind)
        )

    nodes = {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in results["results"]
        if r["unique_id"].startswith("model.")
    }
    return {
        "wall_s": round(wall_s, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        # Before the first node runs and after the last: parsing, connecting, hooks.
        "startup_s": round(wall_s - results["elapsed_time"], 1),
        "models_s": round(seconds("model."), 2),
        "tests_s": round(seconds("test."), 1),
        "nodes": nodes,
        "slowest_models": sorted(
            ((name, round(t, 2)) for name, t in nodes.items()), key=lambda x: -x[1]
        )[:5],
    }


def bench_build(data_dir: Path, postings: int) -> dict:
    built = dbt_build(data_dir)
    nodes = built.pop("nodes")
    return built | {
        "models_s_per_million": round(built["models_s"] / (postings / 1e6), 1),
        "classifier_s": round(sum(nodes[m] for m in CLASSIFIER_MODELS), 2),
    }


def bench_incremental(data_dir: Path, postings: int, seed: int, full: dict) -> dict:
    """The daily run: one day of new postings landed on top of the history just built,
    then the same ``dbt build``; its model time against the full build's. A build with
    nothing new comes first: the per-model cost every build pays (about 0.2 s a model,
    plus the monthly marts and the Python verdict, which are rebuilt in full)."""
    nothing_new = dbt_build(data_dir)
    day = generate_day(data_dir, postings, seed)
    built = dbt_build(data_dir)
    built.pop("nodes")
    with duckdb.connect(str(data_dir / "build.duckdb"), read_only=True) as con:
        # The postings the incremental build wrote: stamped by its own invocation.
        (processed,) = con.execute(
            "select count(*) from intermediate.int_postings_unioned "
            "where _loaded_at = (select max(_loaded_at) from intermediate.int_postings_unioned)"
        ).fetchone()
    return built | {
        "day_postings": day["postings"],
        "postings_processed": processed,
        "full_models_s": full["models_s"],
        "ratio": round(built["models_s"] / full["models_s"], 4),
        "nothing_new_models_s": nothing_new["models_s"],
        "nothing_new_slowest_models": nothing_new["slowest_models"],
    }


def like_scan_sql() -> str:
    """One ``LIKE`` per taxonomy term, over the same postings the classifier reads."""
    with (REPO_ROOT / "dbt_project" / "seeds" / "ml_taxonomy.csv").open() as handle:
        terms = [row["term"].replace("_", " ") for row in csv.DictReader(handle)]
    flags = ", ".join(f"lower(full_text) like '%{t}%' as t{i}" for i, t in enumerate(terms))
    return f"create temp table scanned as select posting_id, {flags} from postings"


def bench_classify(data_dir: Path, postings: int, build: dict) -> dict:
    ours = postings / build["classifier_s"]
    with duckdb.connect(str(data_dir / "build.duckdb"), read_only=True) as con:
        con.execute(
            "create temp table postings as select posting_id, full_text "
            "from intermediate.int_postings_unioned"
        )
        started = time.perf_counter()
        con.execute(like_scan_sql())
        like_s = time.perf_counter() - started
    like = postings / like_s
    return {
        "classifier_postings_per_s": round(ours),
        "like_scan_postings_per_s": round(like),
        "ratio": round(ours / like, 3),
    }


def _latencies(con: duckdb.DuckDBPyConnection, sql: str, runs: int) -> list[float]:
    con.execute(sql).fetchall()  # warm-up, not timed
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        con.execute(sql).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _quantiles(times: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(percentile(times, 95), 2),
    }


def bench_queries(data_dir: Path, runs: int, raw_runs: int) -> dict:
    results = {}
    with connect_read_only(data_dir / "build.duckdb") as con:
        for path in sorted((REPO_ROOT / "queries").glob("*.sql")):
            sql = path.read_text()
            results[path.stem] = _quantiles(_latencies(con, sql, runs))
            reference = PER_POSTING_QUERIES / path.name
            if not reference.exists():
                continue
            # The same question over every posting, timed in the same session; a speed-up
            # that changed the answer would be no speed-up.
            old_sql = reference.read_text()
            if con.execute(sql).fetchall() != con.execute(old_sql).fetchall():
                raise RuntimeError(f"{path.name} and its per-posting formulation differ")
            baseline = _quantiles(_latencies(con, old_sql, runs))
            results[path.stem] |= {
                "per_posting_p50_ms": baseline["p50_ms"],
                "per_posting_p95_ms": baseline["p95_ms"],
                "p95_ratio_to_per_posting": round(
                    results[path.stem]["p95_ms"] / baseline["p95_ms"], 3
                ),
            }
    with duckdb.connect() as con:
        raw = _latencies(con, RAW_ML_SHARE_SQL.format(glob=data_dir / LANDING_GLOB), raw_runs)
    warehouse_p95 = results["ml_share_by_month"]["p95_ms"]
    raw_p95 = percentile(raw, 95)
    return {
        "saved_queries": results,
        "raw_landing_ml_share_p95_ms": round(raw_p95, 2),
        "ml_share_ratio_warehouse_to_raw": round(warehouse_p95 / raw_p95, 4),
    }


def markdown(report: dict) -> str:
    i, b, c, q = (report[k] for k in ("ingest", "build", "classify", "queries"))
    # Each row's ratio is the report's own (of the unrounded rates), not one of the
    # rounded numbers beside it, which can differ in the last digit.
    ingest = (
        [
            (
                "ingest (records/s)",
                i["ours_records_per_s"],
                i["duckdb_read_json_records_per_s"],
                i["ratio"],
            )
        ]
        if "ours_records_per_s" in i
        else []
    )
    rows = [
        *ingest,
        (
            "classify (postings/s)",
            c["classifier_postings_per_s"],
            c["like_scan_postings_per_s"],
            c["ratio"],
        ),
        (
            "ML share by month, p95 ms",
            q["saved_queries"]["ml_share_by_month"]["p95_ms"],
            q["raw_landing_ml_share_p95_ms"],
            q["ml_share_ratio_warehouse_to_raw"],
        ),
    ]
    lines = [
        f"# Benchmark: {report['postings']:,} postings ({report['measured_at']})",
        "",
        "| stage | ours | baseline | ratio |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {ours:,} | {base:,} | {ratio:.3f} |" for name, ours, base, ratio in rows]
    if not ingest:
        lines += ["", f"Ingest not measured: the landing was reused from {i['reused_from']}."]
    lines += [
        "",
        f"dbt build: {b['wall_s']} s wall, {b['startup_s']} s start-up, models {b['models_s']} s "
        f"({b['models_s_per_million']} s per million postings), peak RSS {b['peak_rss_mib']} MiB.",
        "",
        "Saved queries; baseline: the per-posting formulation of the same question "
        "(benchmarks/per_posting_queries/, same rows), where the saved query reads a "
        "pre-aggregated mart instead.",
        "",
        "| saved query | p50 ms | p95 ms | baseline p50 ms | baseline p95 ms | p95 ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in q["saved_queries"].items():
        base = [s.get(k, "—") for k in ("per_posting_p50_ms", "per_posting_p95_ms")]
        ratio = s.get("p95_ratio_to_per_posting")
        ratio_text = "—" if ratio is None else f"{ratio:.3f}"
        lines.append(
            f"| {name} | {s['p50_ms']} | {s['p95_ms']} | {base[0]} | {base[1]} | {ratio_text} |"
        )
    n = report["incremental"]
    lines += [
        "",
        f"Incremental day: {n['day_postings']:,} new postings on top of the history; the "
        f"build wrote {n['postings_processed']:,} postings.",
        "",
        "| dbt build | models s | tests s | start-up s | wall s |",
        "|---|---:|---:|---:|---:|",
        f"| full | {b['models_s']} | {b['tests_s']} | {b['startup_s']} | {b['wall_s']} |",
        f"| incremental day | {n['models_s']} | {n['tests_s']} | {n['startup_s']} "
        f"| {n['wall_s']} |",
        "",
        f"Model time, incremental / full: {n['ratio']:.4f}. A build with nothing new spends "
        f"{n['nothing_new_models_s']} s in models (per-model overhead, monthly marts).",
    ]
    return "\n".join(lines) + "\n"


def reuse_landing(data_dir: Path, landing: Path) -> dict:
    """Hard-link a landing that an earlier run generated with the same --postings and
    --seed (the generator is deterministic; 10M takes about 40 minutes to land)."""
    if not (landing / "hn_whoishiring").is_dir():
        raise SystemExit(f"--landing-from {landing}: no hn_whoishiring landing in it")
    shutil.copytree(landing, data_dir / "landing", copy_function=os.link)
    return {"reused_from": str(landing)}


def run(
    postings: int,
    work_dir: Path,
    seed: int,
    runs: int,
    raw_runs: int,
    landing_from: Path | None = None,
) -> dict:
    data_dir = work_dir / f"bench-{postings}"
    shutil.rmtree(data_dir, ignore_errors=True)
    report: dict = {
        "postings": postings,
        "seed": seed,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "duckdb": duckdb.__version__,
    }
    if landing_from is not None:
        print(f"ingest: reusing the landing in {landing_from}", file=sys.stderr)
        report["ingest"] = reuse_landing(data_dir, landing_from)
    else:
        print(f"ingest: generating and landing {postings:,} postings", file=sys.stderr)
        report["ingest"] = bench_ingest(data_dir, postings, seed)
    print("build: dbt build", file=sys.stderr)
    report["build"] = bench_build(data_dir, postings)
    report["classify"] = bench_classify(data_dir, postings, report["build"])
    print("queries: saved queries and the raw-landing baseline", file=sys.stderr)
    report["queries"] = bench_queries(data_dir, runs, raw_runs)
    print("incremental: one more day landed, dbt build again", file=sys.stderr)
    report["incremental"] = bench_incremental(data_dir, postings, seed, report["build"])
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query")
    # The raw-landing baseline reads every file (about 13 s per run at 1M): a few runs do.
    parser.add_argument("--raw-runs", type=int, default=3, help="timed runs of the baseline")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--output-dir", type=Path, default=REPO_ROOT / "benchmarks" / "results")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    parser.add_argument(
        "--landing-from",
        type=Path,
        help="hard-link this landing (kept by --keep with the same --postings and --seed) "
        "instead of generating one; the ingest step is then not measured",
    )
    args = parser.parse_args(argv)
    if args.postings < 1000:
        parser.error("--postings must be at least 1000")
    report = run(
        args.postings, args.work_dir, args.seed, args.runs, args.raw_runs, args.landing_from
    )
    if not args.keep:
        shutil.rmtree(args.work_dir / f"bench-{args.postings}", ignore_errors=True)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / f"{args.postings}.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(report)
    (args.output_dir / f"{args.postings}.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
