"""Shared fixtures: an isolated data folder per test and the replay HTTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hiring_signals.settings import REPO_ROOT, Settings, load_settings
from tests.pg_server import MIN_MAJOR_VERSION, PostgresServer, find_bindir, major_version
from tests.replay_server import ReplayServer

REPLAY_DIR = REPO_ROOT / "sample_data" / "replay"
RESPONSES = REPLAY_DIR / "hn_whoishiring.jsonl"
CLI = Path(sys.executable).with_name("hiring-signals")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HS_DATA_DIR pointed at an empty folder; replay mode unless a test changes it."""
    data = tmp_path / "data"
    monkeypatch.setenv("HS_DATA_DIR", str(data))
    monkeypatch.setenv("HS_MODE", "replay")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    return data


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return load_settings()


@pytest.fixture
def replay_server() -> Iterator[ReplayServer]:
    with ReplayServer(REPLAY_DIR).running() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server on 127.0.0.1 (tests/pg_server.py), always stopped.
    Skipped where no server is installed, but a failure in CI, where .ci/run installs one."""
    bindir = find_bindir()
    problem = None
    if bindir is None or not (bindir / "pg_ctl").exists():
        problem = "PostgreSQL server programs not found (Debian: apt-get install postgresql)"
    elif major_version(bindir) < MIN_MAJOR_VERSION:
        problem = f"PostgreSQL {MIN_MAJOR_VERSION} or newer needed, found {bindir}"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    with PostgresServer(bindir).running() as server:
        yield server


def live_mode_env(base: str, config_dir: Path = REPLAY_DIR) -> dict[str, str]:
    """Variables of live mode with every API at ``base`` (a loopback server) and the
    board and query lists of ``config_dir``: the real HTTP client, no rate limit."""
    return {
        "HS_MODE": "live",
        "HS_HN_API_BASE": f"{base}/v0",
        "HS_ALGOLIA_API_BASE": f"{base}/api/v1",
        "HS_GREENHOUSE_API_BASE": base,
        "HS_LEVER_API_BASE": base,
        "HS_ASHBY_API_BASE": base,
        "HS_REDDIT_API_BASE": base,
        "HS_BOARDS_FILE": str(config_dir / "boards.yaml"),
        "HS_SOCIAL_FILE": str(config_dir / "social.yaml"),
        "HS_REQUESTS_PER_SECOND": "0",
    }


@pytest.fixture
def live_settings(data_dir, replay_server, monkeypatch) -> Settings:
    """Live mode against the loopback replay server: the real HTTP client over a socket,
    the sample board and query lists, a small retry budget and short timeouts."""
    env = live_mode_env(replay_server.base_url) | {
        "HS_HTTP_MAX_ATTEMPTS": "3",
        "HS_HTTP_BACKOFF_INITIAL_S": "0.01",
        "HS_HTTP_TIMEOUT_S": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


AIRFLOW = Path(sys.executable).with_name("airflow")


def run_airflow(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the airflow CLI in its own process group, killed whole if it overstays
    (Airflow's scheduler may ignore SIGTERM)."""
    process = subprocess.Popen(
        [str(AIRFLOW), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, out, "")


def run_cli(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the installed `hiring-signals` command with the current environment."""
    result = subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, env=dict(os.environ), timeout=600
    )
    if check and result.returncode != 0:
        raise AssertionError(f"hiring-signals {args} failed:\n{result.stdout}\n{result.stderr}")
    return result


def land_future_posting(landing_dir: Path) -> None:
    """A well-formed archive record dated 2099: it passes landing checks, not the gate."""
    from hiring_signals.landing import write_batch

    write_batch(
        landing_dir,
        "hn_archive",
        [
            {
                "id": 99999999,
                "source_id": "99999999",
                "post_date": "2099-01-01T00:00:00",
                "company": "Future Co",
                "job_title": "ML Engineer",
            }
        ],
        urls=["test://future"],
        cursor_before={},
        cursor_after={"sha256": "injected"},
        method="archive_llm_extracted",
    )
