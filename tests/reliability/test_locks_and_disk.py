"""Disk and lock faults: a clear error naming the lock holder, a batch that does not fit
on disk rejected whole, and the published snapshot untouched either way."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import string
import subprocess
import sys
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import duckdb
import pytest

from tests.conftest import CLI, file_sha256
from tests.reliability.hostile import THREAD_ID, hostile_world, pipeline_env, shared_hostile_run

pytestmark = pytest.mark.slow
FILE_SIZE_LIMIT = 1024 * 1024  # bytes any file of the faulty process may reach


@pytest.fixture
def data(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of a published hostile run's data folder, for a test to damage."""
    source = shared_hostile_run(tmp_path_factory).data_dir
    copy = tmp_path / "data"
    shutil.copytree(source, copy, symlinks=True)
    return copy


def _cli(env: dict[str, str], *args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    def small_files() -> None:  # in the child: files stop growing at `limit` bytes
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [str(CLI), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=small_files if limit else None,
    )


@pytest.fixture
def lock_holder(data: Path) -> Iterator[subprocess.Popen]:
    """Another process with build.duckdb open for writing, killed whole afterwards."""
    code = (
        "import sys, time, duckdb\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "print('holding', flush=True)\n"
        "time.sleep(600)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(data / "build.duckdb")],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield holder
    finally:
        with suppress(ProcessLookupError):  # the test may have ended it already
            os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()


def test_locked_warehouse_names_the_holder_and_changes_nothing(data, lock_holder):
    env = dict(os.environ) | {"HS_DATA_DIR": str(data), "HS_MODE": "replay"}
    published = file_sha256(data / "analytics.duckdb")

    build = _cli(env, "build")
    publish = _cli(env, "publish")

    for result in (build, publish):
        message = " ".join(result.stderr.split())
        assert result.returncode == 1
        assert f"is locked by another writer: PID {lock_holder.pid}" in message
        assert "Traceback" not in result.stderr
    assert "build.duckdb" in build.stderr and "publish" in publish.stderr
    assert file_sha256(data / "analytics.duckdb") == published
    os.killpg(lock_holder.pid, signal.SIGKILL)
    lock_holder.wait()
    with duckdb.connect(str(data / "build.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_job_postings").fetchall()[0][0] > 0


def _big_comment() -> dict:
    """A new comment whose batch cannot be compressed below the file size limit."""
    words = random.Random(8).choices(string.ascii_letters + " ", k=3 * FILE_SIZE_LIMIT)
    return {
        "case": "hn_big_new_comment",
        "category": "disk_full",
        "source": "hn_whoishiring",
        "key": 90000300,
        "payload": {
            "by": "late",
            "id": 90000300,
            "parent": THREAD_ID,
            "time": 1_791_600_000,
            "type": "comment",
            "text": "Late Co | ML Engineer | Remote<p>" + "".join(words),
        },
    }


def test_disk_full_rejects_the_batch_and_keeps_the_published_snapshot(data, tmp_path):
    landing = data / "landing" / "hn_whoishiring"
    manifests = sorted(landing.rglob("*.manifest.json"))
    published = file_sha256(data / "analytics.duckdb")
    with hostile_world(tmp_path / "api", extra=[_big_comment()]) as server:
        env = pipeline_env(server, tmp_path / "api" / "world", data)

        ingest = _cli(env, "ingest", "--source", "hn_whoishiring", limit=FILE_SIZE_LIMIT)
        message = " ".join(ingest.stderr.split())
        assert ingest.returncode == 1
        assert "could not be written" in message and "File too large" in message
        assert "nothing landed, the cursor is unchanged" in message
        assert sorted(landing.rglob("*.manifest.json")) == manifests
        assert not list(data.rglob("*.tmp"))

        whole_run = _cli(env, "run", limit=FILE_SIZE_LIMIT)
        assert whole_run.returncode == 1
        assert "publish:" not in whole_run.stdout
        assert file_sha256(data / "analytics.duckdb") == published

        # Space is back: the same comment lands, and the warehouse builds and publishes.
        again = _cli(env, "run")
    assert again.returncode == 0, again.stderr[-3000:]
    # The batch holds the comment and the thread item it was read under (for the thread size).
    assert "ingest hn_whoishiring: 2 new records" in again.stdout, again.stdout
    with duckdb.connect(str(data / "analytics.duckdb"), read_only=True) as con:
        (company,) = con.execute(
            "select company from marts.fct_job_postings where posting_id = 'hn-90000300'"
        ).fetchall()[0]
    assert company == "Late Co"
