"""Shared fixtures: an isolated data folder per test and the replay HTTP server."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hiring_signals.http import recorded_lines
from hiring_signals.settings import REPO_ROOT, Settings, load_settings
from tests.pg_server import MIN_MAJOR_VERSION, PostgresServer, find_bindir, major_version
from tests.replay_server import ReplayServer

# The suite runs on its own small real fixture (tests/fixtures/sample/README.md), not on
# the bundle `make run` uses: set before any test reads settings or starts a command.
SAMPLE_DIR = REPO_ROOT / "tests" / "fixtures" / "sample"
REPLAY_DIR = SAMPLE_DIR / "replay"
os.environ["HS_REPLAY_DIR"] = str(REPLAY_DIR)
CLI = Path(sys.executable).with_name("hiring-signals")


@dataclass(frozen=True)
class PublishedRun:
    """One `hiring-signals run` in a fresh data folder: the folder and what it printed."""

    data_dir: Path
    result: subprocess.CompletedProcess[str]


def _publish_once(data: Path, unset: tuple[str, ...] = ()) -> PublishedRun:
    with pytest.MonkeyPatch.context() as patch:
        _use_data_dir(data, patch)
        for name in unset:
            patch.delenv(name)
        return PublishedRun(data, run_cli("run", check=True))


@pytest.fixture(scope="session")
def published_run(tmp_path_factory: pytest.TempPathFactory) -> PublishedRun:
    """The pipeline run on the test fixture, once per session. Tests that only read its
    folder use ``published``; tests that change it use ``published_copy``."""
    return _publish_once(tmp_path_factory.mktemp("published") / "data")


@pytest.fixture(scope="session")
def bundled_run(tmp_path_factory: pytest.TempPathFactory) -> PublishedRun:
    """The pipeline run on the bundle `make run` uses, once per session: only for tests
    about the bundle itself (the hand-labelled evaluation set spans all of it)."""
    # Without the fixture's variables the settings fall back to the bundle's paths.
    unset = ("HS_REPLAY_DIR",)
    return _publish_once(tmp_path_factory.mktemp("bundled") / "data", unset)


def _use_data_dir(data: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """HS_DATA_DIR pointed at ``data``, in replay mode."""
    monkeypatch.setenv("HS_DATA_DIR", str(data))
    monkeypatch.setenv("HS_MODE", "replay")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    return load_settings()


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes: equal digests, an untouched file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(published_run: PublishedRun, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings (and environment, for the CLI) of the shared published warehouse.
    Tests using it must not change it."""
    return _use_data_dir(published_run.data_dir, monkeypatch)


@pytest.fixture
def published_copy(
    published_run: PublishedRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """A private copy of the shared published data folder, for tests that change it."""
    data = tmp_path / "data"
    shutil.copytree(published_run.data_dir, data, symlinks=True)
    return _use_data_dir(data, monkeypatch)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HS_DATA_DIR pointed at an empty folder; replay mode unless a test changes it."""
    data = tmp_path / "data"
    _use_data_dir(data, monkeypatch)
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


# Timeouts bound hangs, they are not benchmarks: each is several times what the step
# takes on this project's 2-core machine (measured durations in the comments).
AIRFLOW_TIMEOUT_S = 600  # `airflow dags test` of the transform: ~55 s; other commands < 15 s
CLI_TIMEOUT_S = 600  # `hiring-signals run` on the fixture: ~45 s; on the bundle: ~60 s


def run_group(
    command: list[str], env: dict[str, str], timeout_s: float, merge_output: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in its own process group; if it overstays ``timeout_s`` the whole
    group is killed (dbt children and Airflow's scheduler, which may ignore SIGTERM) and
    the test fails naming the command."""
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_output else subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(
            f"`{Path(command[0]).name} {' '.join(command[1:])}` still running after "
            f"{timeout_s:.0f} s: a hang (it takes well under a fifth of that here); its "
            "process group was killed",
            pytrace=False,
        )
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err or "")


def run_airflow(
    env: dict[str, str], *args: str, timeout_s: float = AIRFLOW_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """Run the airflow CLI (output and errors together in ``stdout``)."""
    return run_group([str(AIRFLOW), *args], env, timeout_s, merge_output=True)


def run_cli(
    *args: str, check: bool = False, timeout_s: float = CLI_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """Run the installed `hiring-signals` command with the current environment."""
    result = run_group([str(CLI), *args], dict(os.environ), timeout_s)
    if check and result.returncode != 0:
        raise AssertionError(f"hiring-signals {args} failed:\n{result.stdout}\n{result.stderr}")
    return result


def recorded_responses() -> Iterator[dict]:
    """Every recorded HN response of the fixture, in file order."""
    return recorded_lines(REPLAY_DIR)


def land_future_posting(landing_dir: Path) -> None:
    """A well-formed HN comment of a thread of January 2099: it passes landing checks,
    not the gate."""
    from hiring_signals.landing import write_batch

    write_batch(
        landing_dir,
        "hn_whoishiring",
        [
            {
                "id": 99999999,
                "type": "comment",
                "status": "live",
                "by": "future",
                "time": 4070908800,  # 2099-01-01
                "text": "Future Co | ML Engineer | Remote",
                "thread_id": 99999998,
                "thread_title": "Ask HN: Who is hiring? (January 2099)",
                "thread_month": "2099-01",
            }
        ],
        urls=["test://future"],
        cursor_before={},
        cursor_after={"99999998": 99999999},
        method="thread_comments",
    )
