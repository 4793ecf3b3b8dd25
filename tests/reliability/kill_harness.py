"""Run `hiring-signals run` as its own process group and SIGKILL it at a chosen point.

The point is found from outside the process, never by a hook in product code: the
loopback API server counts the requests it served (fetch), the landing folder shows new
files (landing), dbt's log shows which node started (dbt build), and the run's own stdout
says when the build passed and when the gate result was written (validation, publish).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hiring_signals.warehouse import connect_read_only, mart_checksums

CLI = Path(sys.executable).with_name("hiring-signals")
STAGES = ("fetch", "landing", "dbt", "validate", "publish")
# Columns that record when a batch was fetched: they differ between any two ingests of
# the same responses, so runs are compared with them left out.
LINEAGE_COLUMNS = ("batch_id", "fetched_at", "landed_at")
DBT_NODE_STARTED = re.compile(r"\b(\d+) of \d+ START\b")
BUILD_PASSED = "build: dbt build passed"
GATE_WRITTEN = "check: result written"
PUBLISHED = "publish: snapshot"
LAST_INGEST = "ingest reddit:"


@dataclass(frozen=True)
class KillPoint:
    """A stage plus an offset inside it: the n-th HTTP request (fetch), the n-th new
    landing file (landing), the dbt node number (dbt), or a fraction of the stage's
    duration measured on an uninterrupted run (validate, publish)."""

    stage: str
    offset: float

    def __str__(self) -> str:
        return f"{self.stage}:{self.offset:g}"


@dataclass
class Profile:
    """What an uninterrupted run did, measured from outside: the ranges kill points use."""

    fetch_requests: int  # requests served before the first landing file appeared
    landing_files: int  # files the run added to the landing
    dbt_nodes: list[int]  # node numbers dbt started
    check_s: float  # from "build passed" to "gate result written"
    publish_s: float  # from "gate result written" to "published"


def plan_chains(seed: int, points: int, profile: Profile) -> list[list[KillPoint]]:
    """Kill points in chains of one point per stage, in pipeline order: each run after a
    kill must get past the stage where the previous run died before it is killed itself."""
    rng = random.Random(seed)
    chains = []
    for _ in range(math.ceil(points / len(STAGES))):
        chains.append(
            [
                KillPoint("fetch", rng.randint(1, profile.fetch_requests)),
                KillPoint("landing", rng.randint(1, profile.landing_files)),
                KillPoint("dbt", rng.choice(profile.dbt_nodes)),
                KillPoint("validate", round(rng.random(), 3)),
                KillPoint("publish", round(rng.random(), 3)),
            ]
        )
    return chains


def landing_entries(landing: Path) -> set[str]:
    """Every file name under the landing, temporary ones included."""
    names = set()
    for root, _dirs, files in os.walk(landing):
        names.update(os.path.join(root, f) for f in files)
    return names


class PipelineRun:
    """One `hiring-signals run` in its own session (so SIGKILL reaches dbt too)."""

    def __init__(self, env: dict[str, str], data_dir: Path, requests: list[str]) -> None:
        self.data_dir = data_dir
        self._requests = requests
        self._requests_before = len(requests)
        self._landing_before = landing_entries(data_dir / "landing")
        self._dbt_log = data_dir / "dbt" / "logs" / "dbt.log"
        self._dbt_offset = self._dbt_log.stat().st_size if self._dbt_log.exists() else 0
        self._dbt_tail = ""
        self.dbt_nodes: set[int] = set()
        self.lines: list[tuple[float, str]] = []
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(CLI), "run"],
            env={**env, "HS_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    @property
    def requests(self) -> int:
        return len(self._requests) - self._requests_before

    def new_landing_files(self) -> set[str]:
        return landing_entries(self.data_dir / "landing") - self._landing_before

    def line_time(self, prefix: str) -> float | None:
        return next((t for t, line in list(self.lines) if line.startswith(prefix)), None)

    def poll_dbt(self) -> int:
        """The highest dbt node number this run has started so far (0: none yet)."""
        if self._dbt_log.exists():
            with self._dbt_log.open("rb") as log:
                log.seek(self._dbt_offset)
                raw = log.read()
            self._dbt_offset += len(raw)
            whole, _, self._dbt_tail = (self._dbt_tail + raw.decode("utf-8", "replace")).rpartition(
                "\n"
            )
            self.dbt_nodes.update(int(n) for n in DBT_NODE_STARTED.findall(whole))
        return max(self.dbt_nodes, default=0)

    def output(self) -> str:
        return "\n".join(line for _, line in list(self.lines))

    def kill(self) -> None:
        """SIGKILL the whole process group: the CLI and any dbt child."""
        with contextlib.suppress(ProcessLookupError):  # the group is already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)
        self._reader.join(timeout=10)

    def finish(self, timeout: float = 600) -> int:
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            self.kill()  # stray children of a run that timed out
        return code


def _reached(run: PipelineRun, point: KillPoint, profile: Profile) -> bool:
    now = time.monotonic()
    if point.stage == "fetch":
        return run.requests >= point.offset
    if point.stage == "landing":
        # Counted with the temporary files the poll happens to see, so some kills land
        # between a batch's temporary write and its rename. A run with fewer files left
        # to land (the fetch kill before it landed some) is killed when ingest ends.
        return (
            len(run.new_landing_files()) >= point.offset or run.line_time(LAST_INGEST) is not None
        )
    if point.stage == "dbt":
        return run.poll_dbt() >= point.offset
    if point.stage == "validate":
        entered = run.line_time(BUILD_PASSED)
        # Load varies: a gate that finishes sooner than measured is killed as it ends,
        # not after the publish that follows.
        due = entered is not None and now >= entered + point.offset * profile.check_s
        return due or run.line_time(GATE_WRITTEN) is not None
    entered = run.line_time(GATE_WRITTEN)
    return entered is not None and now >= entered + point.offset * profile.publish_s


def kill_at(
    env: dict[str, str],
    data_dir: Path,
    requests: list[str],
    point: KillPoint,
    profile: Profile,
    timeout: float = 600,
) -> PipelineRun:
    """Start a run and SIGKILL it once ``point`` is reached; fails if it never is."""
    run = PipelineRun(env, data_dir, requests)
    interval = 0.05 if point.stage == "dbt" else 0.001
    deadline = time.monotonic() + timeout
    while not _reached(run, point, profile):
        if run.process.poll() is not None:
            run.kill()
            raise AssertionError(
                f"run ended (exit {run.process.returncode}) before kill point {point}:\n"
                f"{run.output()[-3000:]}"
            )
        if time.monotonic() > deadline:
            run.kill()
            raise AssertionError(f"kill point {point} not reached in {timeout:.0f}s")
        time.sleep(interval)
    run.kill()
    return run


def profile_run(env: dict[str, str], data_dir: Path, requests: list[str]) -> Profile:
    """Run to completion while watching it, and measure the ranges of the kill points."""
    run = PipelineRun(env, data_dir, requests)
    first_landing_requests = None
    while run.process.poll() is None:
        if first_landing_requests is None and run.new_landing_files():
            first_landing_requests = run.requests
        time.sleep(0.001 if first_landing_requests is None else 0.2)
    code = run.finish()
    assert code == 0, f"uninterrupted run failed:\n{run.output()[-3000:]}"
    marks = {p: run.line_time(p) for p in (BUILD_PASSED, GATE_WRITTEN, PUBLISHED)}
    assert None not in marks.values(), run.output()[-3000:]
    run.poll_dbt()
    return Profile(
        fetch_requests=max(1, first_landing_requests or run.requests),
        landing_files=len([f for f in run.new_landing_files() if not f.endswith(".tmp")]),
        dbt_nodes=sorted(run.dbt_nodes),
        check_s=marks[GATE_WRITTEN] - marks[BUILD_PASSED],
        publish_s=marks[PUBLISHED] - marks[GATE_WRITTEN],
    )


# --- what a reader sees after a kill -------------------------------------------------


def published_checksums(data_dir: Path) -> dict[str, str]:
    """Exact per-mart checksums of the published file, opened the way analysts open it."""
    with connect_read_only(data_dir / "analytics.duckdb") as con:
        return mart_checksums(con)


def content_checksums(db: Path) -> dict[str, str]:
    """Per-mart checksums over sorted row hashes with the fetch-time lineage columns left
    out: equal when two runs landed the same responses at different times."""
    with connect_read_only(db) as con:
        columns = con.execute(
            "select table_name, list(column_name order by ordinal_position) "
            "from information_schema.columns where table_schema = 'marts' group by 1"
        ).fetchall()
        sums = {}
        for table, names in sorted(columns):
            kept = ", ".join(f'"{c}"' for c in names if c not in LINEAGE_COLUMNS)
            (sums[table],) = con.execute(
                f"select md5(coalesce(string_agg(h, '' order by h), '')) from "
                f"(select md5(cast(row({kept}) as varchar)) as h from marts.{table})"
            ).fetchone()
    return sums


@dataclass
class LandingState:
    problems: list[str] = field(default_factory=list)  # what a reader must never see
    orphans: list[str] = field(default_factory=list)  # whole data files with no manifest
    temporary: list[str] = field(default_factory=list)  # *.tmp leftovers
    records: Counter[str] = field(default_factory=Counter)  # committed (source, record)


def inspect_landing(landing: Path) -> LandingState:
    """Check every committed batch against its manifest (bytes, sha256, record count)
    and that every file under a final data name is a whole gzip of JSON lines."""
    state = LandingState()
    committed = set()
    for manifest_path in sorted(landing.glob("*/dt=*/*.manifest.json")):
        try:
            manifest = json.loads(manifest_path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            state.problems.append(f"{manifest_path}: manifest is not whole JSON: {exc}")
            continue
        if not manifest.get("data_file"):
            continue
        data_path = manifest_path.with_name(manifest["data_file"])
        committed.add(data_path)
        if not data_path.exists():
            state.problems.append(f"{manifest_path}: lists {data_path.name}, which is missing")
            continue
        data = data_path.read_bytes()
        if hashlib.sha256(data).hexdigest() != manifest["sha256"]:
            state.problems.append(f"{data_path}: sha256 differs from its manifest")
            continue
        lines = gzip.decompress(data).decode("utf-8").splitlines()
        if len(lines) != manifest["record_count"]:
            state.problems.append(
                f"{data_path}: {len(lines)} lines, manifest says {manifest['record_count']}"
            )
        state.records.update(f"{manifest['source']}|{line}" for line in lines)
    for data_path in sorted(landing.glob("*/dt=*/*.jsonl.gz")):
        if data_path in committed:
            continue
        try:
            for line in gzip.decompress(data_path.read_bytes()).decode("utf-8").splitlines():
                json.loads(line)
        except (OSError, EOFError, ValueError) as exc:
            state.problems.append(f"{data_path}: partial data file under its final name: {exc}")
            continue
        state.orphans.append(str(data_path))
    state.temporary = sorted(str(p) for p in landing.glob("*/dt=*/*.tmp"))
    return state
