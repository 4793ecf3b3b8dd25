"""SIGKILL the whole pipeline at seeded points of every stage; nothing a reader sees breaks.

Each chain starts from a published previous snapshot (an HN backfill of the older
months, June 2020 - June 2025) and kills five consecutive `hiring-signals run`s: during
fetch, while landing, mid dbt build, mid validation and during publish; then one run
goes to completion. ``KILL_POINTS`` sets the number of points (default 5: one chain; CI
runs 20) and ``KILL_SEED`` the seed.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from hiring_signals.settings import Settings
from hiring_signals.warehouse import publish
from tests.conftest import CLI, REPLAY_DIR, live_mode_env
from tests.reliability.kill_harness import (
    GATE_WRITTEN,
    STAGES,
    KillPoint,
    PipelineRun,
    Profile,
    content_checksums,
    inspect_landing,
    kill_at,
    plan_chains,
    profile_run,
    published_checksums,
)
from tests.replay_server import ReplayServer

KILL_POINTS = int(os.environ.get("KILL_POINTS", "5"))
KILL_SEED = int(os.environ.get("KILL_SEED", "20261126"))
CHAINS = math.ceil(KILL_POINTS / len(STAGES))
# The previous snapshot: the older HN threads only; the run then adds the newest threads.
BACKFILL = [
    *("ingest", "--source", "hn_whoishiring"),
    *("--since", "2020-06-01", "--until", "2025-06-30"),
]


@dataclass
class World:
    env: dict[str, str]
    template: Path  # a data folder with the previous snapshot published
    previous: dict[str, str]  # its published mart checksums
    profile: Profile
    reference_content: dict[str, str]  # marts of an uninterrupted run, lineage left out
    reference_records: object  # the landing records of that run
    chains: list[list[KillPoint]]


@pytest.fixture(scope="module")
def server():
    with ReplayServer(REPLAY_DIR).running() as running:
        yield running


def live_env(base: str) -> dict[str, str]:
    """Live mode against the loopback server: real HTTP, so fetch can be observed."""
    return {**os.environ, **live_mode_env(base), "DO_NOT_TRACK": "1", "HS_HTTP_TIMEOUT_S": "10"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, server: ReplayServer) -> World:
    env = live_env(server.base_url)
    template = tmp_path_factory.mktemp("kill-template") / "data"
    for step in (BACKFILL, ["build"], ["check"], ["publish"]):
        done = subprocess.run(
            [str(CLI), *step],
            env={**env, "HS_DATA_DIR": str(template)},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{step}: {done.stdout}\n{done.stderr}"
    reference = tmp_path_factory.mktemp("kill-reference") / "data"
    shutil.copytree(template, reference, symlinks=True)
    profile = profile_run(env, reference, server.requests)
    previous = published_checksums(template)
    assert published_checksums(reference) != previous, "the run must publish something new"
    chains = plan_chains(KILL_SEED, KILL_POINTS, profile)
    print(
        f"\nkill seed {KILL_SEED}: {profile.fetch_requests} requests before landing, "
        f"{profile.landing_files} landing files, {len(profile.dbt_nodes)} dbt nodes, "
        f"check {profile.check_s:.1f}s, publish {profile.publish_s:.2f}s; "
        f"chains {[[str(p) for p in c] for c in chains]}"
    )
    return World(
        env,
        template,
        previous,
        profile,
        content_checksums(reference / "analytics.duckdb"),
        inspect_landing(reference / "landing").records,
        chains,
    )


@pytest.mark.slow
@pytest.mark.parametrize("chain", range(CHAINS))
def test_sigkill_at_every_stage_leaves_old_or_new_snapshot_and_the_next_run_recovers(
    world: World, server: ReplayServer, tmp_path: Path, chain: int
):
    data = tmp_path / "data"
    shutil.copytree(world.template, data, symlinks=True)
    seen: list[tuple[KillPoint, dict[str, str]]] = []
    for point in world.chains[chain]:
        started = time.monotonic()
        run = kill_at(world.env, data, server.requests, point, world.profile)
        # A reader opens the published file read-only right after the kill.
        seen.append((point, published_checksums(data)))
        landing = inspect_landing(data / "landing")
        assert landing.problems == [], f"after the kill at {point}: {landing.problems}"
        print(
            f"kill {point}: {time.monotonic() - started:.1f}s, "
            f"orphans {len(landing.orphans)}, temporary {len(landing.temporary)}, "
            f"gate {'done' if run.line_time(GATE_WRITTEN) else 'not done'}, published "
            f"{'previous' if seen[-1][1] == world.previous else 'changed'}"
        )

    started = time.monotonic()
    final = PipelineRun(world.env, data, server.requests)
    assert final.finish() == 0, f"the run after the kills failed:\n{final.output()[-3000:]}"
    print(f"recovery run: {time.monotonic() - started:.1f}s")

    new = published_checksums(data)
    for point, checksums in seen:
        mixed = sorted(
            t for t, c in checksums.items() if c not in (world.previous.get(t), new.get(t))
        )
        assert checksums in (world.previous, new), (
            f"after the kill at {point} the published marts were neither the previous "
            f"snapshot nor the one the next run published: {mixed}"
        )
    landing = inspect_landing(data / "landing")
    assert landing.problems == []
    assert landing.orphans == [], "orphan data files must leave the landing on the next build"
    assert landing.temporary == [], "temporary files of killed writes must be cleaned up"
    assert landing.records == world.reference_records, "records lost or landed twice"
    assert content_checksums(data / "analytics.duckdb") == world.reference_content
    leftovers = sorted(p.name for p in data.glob(".analytics.duckdb.publishing*"))
    assert leftovers == [], "a killed publish's copy must not outlive the next publish"


def test_a_publish_killed_before_its_checkpoint_does_not_block_the_next_publish(
    settings: Settings,
):
    settings.data_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.build_db)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_batches as select 'b1' as batch_id")
    staging = settings.data_dir / f".{settings.analytics_db.name}.publishing"
    shutil.copyfile(settings.build_db, staging)
    # The state a publish leaves when SIGKILLed after writing to its copy: the copy and
    # a WAL that belongs to a later checkpoint of it.
    killed = (
        "import duckdb, os, signal\n"
        f"con = duckdb.connect({str(staging)!r})\n"
        "con.execute(\"set wal_autocheckpoint = '1TB'\")\n"
        "con.execute('create schema meta')\n"
        "con.execute('checkpoint')\n"
        "con.execute('create table meta.snapshots as select 1 as x')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", killed], check=False, timeout=120)
    assert staging.with_name(f"{staging.name}.wal").exists()

    snapshot = publish(settings)

    assert set(snapshot.checksums) == {"dim_batches"}
    assert published_checksums(settings.data_dir) == snapshot.checksums
    assert sorted(p.name for p in settings.data_dir.glob(".analytics.duckdb.publishing*")) == []
