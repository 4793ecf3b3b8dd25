"""Shared fixtures: an isolated data folder per test and the replay HTTP server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hiring_signals.settings import REPO_ROOT, Settings, load_settings
from tests.replay_server import ReplayServer

RESPONSES = REPO_ROOT / "sample_data" / "hn_replay" / "responses.jsonl"
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
    with ReplayServer(RESPONSES).running() as server:
        yield server


def run_cli(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the installed `hiring-signals` command with the current environment."""
    result = subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, env=dict(os.environ), timeout=600
    )
    if check and result.returncode != 0:
        raise AssertionError(f"hiring-signals {args} failed:\n{result.stdout}\n{result.stderr}")
    return result
