"""The published report, opened in a real headless Chromium."""

import shutil
import subprocess

import pytest

from tests.unit.test_report import hostile_report

pytestmark = pytest.mark.slow
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("chromium")
    assert binary, "Chromium is required (Debian package chromium; .ci/run installs it)"
    profile = tmp_path / "profile"
    return subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_report_renders_the_verdict_and_charts_in_chromium(published_run, tmp_path):
    page = published_run.data_dir / "reports" / "answer.html"
    assert f"report: {page}" in published_run.result.stdout

    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert 'id="verdict"' in dom and "deep learning flagged share" in dom
    assert dom.count("<svg") == 2 and "<polyline" in dom
    shot = tmp_path / "report.png"
    chromium(tmp_path, "--window-size=1100,1900", f"--screenshot={shot}", page.as_uri())
    assert shot.stat().st_size > 20_000


def test_hostile_text_in_the_report_never_runs_as_script(tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(hostile_report())
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "<title>Have ML / deep-learning jobs collapsed?</title>" in dom
    assert "pwned" in dom and "<script" not in dom
