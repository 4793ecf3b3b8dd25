"""A warehouse published once per test session, for tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiring_signals.settings import Settings, load_settings
from tests.conftest import run_cli

ENV = {"HS_MODE": "replay", "DO_NOT_TRACK": "1"}


@pytest.fixture(scope="session")
def published_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`hiring-signals run` on the bundled data, once. Tests using it must not change it."""
    data = tmp_path_factory.mktemp("published") / "data"
    with pytest.MonkeyPatch.context() as env:
        for name, value in {**ENV, "HS_DATA_DIR": str(data)}.items():
            env.setenv(name, value)
        run_cli("run", check=True)
    return data


@pytest.fixture
def published(published_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings (and environment, for the CLI) of the shared published warehouse."""
    for name, value in {**ENV, "HS_DATA_DIR": str(published_data_dir)}.items():
        monkeypatch.setenv(name, value)
    return load_settings()
