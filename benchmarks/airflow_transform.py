"""The Airflow transform DAG against the CLI build, on the same landing, in one run.

    python benchmarks/airflow_transform.py [--data bundle|fixture] [--repeats 2]

Lands the chosen real data once (replay mode: the bundle `make run` uses, or the test
fixture), then, per repeat and on fresh copies of that landing, times:

- the baseline: ``hiring-signals build`` (one ``dbt build``), then ``check`` and
  ``publish`` (what the transform DAG does after its dbt tasks);
- ``airflow dags test hiring_signals_transform`` on a migrated SQLite Airflow home: the
  command's wall time and the DAG run's own duration and task durations, as Airflow
  recorded them (the run without the command's start-up, as a scheduler would run it).

Both builds are full builds of an empty warehouse. Writes ``airflow_transform.json`` and
``airflow_transform.md`` to the output directory; ratios use the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from hiring_signals.settings import REPO_ROOT

BIN = Path(sys.executable).parent
DATA = {  # replay directories of recorded API responses
    "bundle": REPO_ROOT / "sample_data" / "replay",
    "fixture": REPO_ROOT / "tests" / "fixtures" / "sample" / "replay",
}
TIMEOUT_S = 1800  # a hang, not a measurement: a transform takes about a minute here


def _env(data_dir: Path, data: str, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        HS_MODE="replay",
        HS_DATA_DIR=str(data_dir),
        HS_REPLAY_DIR=str(DATA[data]),
        DO_NOT_TRACK="1",
        **extra,
    )


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}{done.stderr}")
    return elapsed


def cli_build(landed: Path, work: Path, data: str) -> dict[str, float]:
    data_dir = work / "cli"
    shutil.copytree(landed, data_dir)
    env = _env(data_dir, data)
    cli = str(BIN / "hiring-signals")
    times = {step: _timed([cli, step], env) for step in ("build", "check", "publish")}
    return {"build_s": times["build"], "build_check_publish_s": sum(times.values())}


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def airflow_transform(landed: Path, work: Path, data: str) -> dict:
    data_dir, home = work / "airflow-data", work / "airflow-home"
    shutil.copytree(landed, data_dir)
    env = _env(
        data_dir,
        data,
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(REPO_ROOT / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        PATH=f"{BIN}:{os.environ['PATH']}",
    )
    airflow = str(BIN / "airflow")
    _timed([airflow, "db", "migrate"], env)
    _timed([airflow, "pools", "set", "duckdb_writer", "1", "single writer"], env)
    wall = _timed([airflow, "dags", "test", "hiring_signals_transform"], env)
    with sqlite3.connect(home / "airflow.db") as con:
        run_start, run_end, state = con.execute(
            "select start_date, end_date, state from dag_run "
            "where dag_id = 'hiring_signals_transform'"
        ).fetchone()
        tasks = con.execute(
            "select task_id, start_date, end_date from task_instance "
            "where dag_id = 'hiring_signals_transform' order by start_date"
        ).fetchall()
    if state != "success":
        raise RuntimeError(f"the transform DAG run ended {state}")
    return {
        "dags_test_wall_s": wall,
        "dag_run_s": _seconds(run_start, run_end),
        "tasks_s": {task: round(_seconds(start, end), 2) for task, start, end in tasks},
    }


def land(work: Path, data: str) -> Path:
    landed = work / "landed"
    _timed([str(BIN / "hiring-signals"), "ingest"], _env(landed, data))
    return landed


def measure(data: str, repeats: int, work_root: Path) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-airflow-", dir=work_root))
    try:
        landed = land(work, data)
        runs = []
        for repeat in range(repeats):
            round_dir = work / f"round-{repeat}"
            round_dir.mkdir()
            # Alternate the order, so neither side always runs on a warmer machine.
            if repeat % 2 == 0:
                cli = cli_build(landed, round_dir, data)
                dag = airflow_transform(landed, round_dir, data)
            else:
                dag = airflow_transform(landed, round_dir, data)
                cli = cli_build(landed, round_dir, data)
            runs.append({"cli": cli, "airflow": dag})
            print(f"round {repeat + 1}/{repeats}: {json.dumps(runs[-1])}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def median(side: str, key: str) -> float:
        return statistics.median(run[side][key] for run in runs)

    build = median("cli", "build_s")
    equivalent = median("cli", "build_check_publish_s")
    dag_run, wall = median("airflow", "dag_run_s"), median("airflow", "dags_test_wall_s")
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "data": data,
        "repeats": repeats,
        "runs": runs,
        "median": {
            "cli_build_s": round(build, 1),
            "cli_build_check_publish_s": round(equivalent, 1),
            "airflow_dag_run_s": round(dag_run, 1),
            "airflow_dags_test_wall_s": round(wall, 1),
        },
        "ratio": {
            "dag_run_vs_cli_build": round(dag_run / build, 2),
            "dags_test_wall_vs_cli_build": round(wall / build, 2),
            "dag_run_vs_cli_build_check_publish": round(dag_run / equivalent, 2),
        },
    }


def markdown(report: dict) -> str:
    m, r = report["median"], report["ratio"]
    tasks = report["runs"][0]["airflow"]["tasks_s"]
    lines = [
        f"# Airflow transform vs CLI build ({report['data']}, {report['measured_at']}, "
        f"{report['machine']['cores']} cores, median of {report['repeats']})",
        "",
        "| measure | seconds | ratio to `hiring-signals build` |",
        "|---|---:|---:|",
        f"| `hiring-signals build` (baseline) | {m['cli_build_s']} | 1.00 |",
        f"| `build` + `check` + `publish` | {m['cli_build_check_publish_s']} | "
        f"{m['cli_build_check_publish_s'] / m['cli_build_s']:.2f} |",
        f"| transform DAG run (Airflow's record) | {m['airflow_dag_run_s']} | "
        f"{r['dag_run_vs_cli_build']:.2f} |",
        f"| `airflow dags test hiring_signals_transform` (wall) | "
        f"{m['airflow_dags_test_wall_s']} | {r['dags_test_wall_vs_cli_build']:.2f} |",
        "",
        f"DAG run vs build + check + publish: {r['dag_run_vs_cli_build_check_publish']:.2f}.",
        "",
        "Task durations of the first round: "
        + ", ".join(f"{task} {seconds:.1f} s" for task, seconds in tasks.items()),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=sorted(DATA), default="bundle")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--output-dir", type=Path, default=REPO_ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    report = measure(args.data, args.repeats, args.work_dir)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    stem = args.output_dir / "airflow_transform"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
