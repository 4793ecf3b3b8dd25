"""The benchmark suite on 10k synthetic postings, so its code cannot rot unnoticed."""

import gzip
import hashlib
import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import mart_checksums

BENCH = REPO_ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

from run import dbt_build  # noqa: E402
from synth import generate  # noqa: E402

pytestmark = pytest.mark.slow


def landed_digests(data_dir) -> list[str]:
    files = sorted((data_dir / "landing" / "hn_whoishiring").glob("dt=*/*.jsonl.gz"))
    return [hashlib.sha256(gzip.decompress(f.read_bytes())).hexdigest() for f in files]


def test_generator_lands_the_same_bytes_for_the_same_seed(tmp_path):
    first = generate(tmp_path / "a", 3000, seed=11, quiet=True)
    generate(tmp_path / "b", 3000, seed=11, quiet=True)
    generate(tmp_path / "c", 3000, seed=12, quiet=True)
    assert first["postings"] == 3000
    assert landed_digests(tmp_path / "a") == landed_digests(tmp_path / "b")
    assert landed_digests(tmp_path / "a") != landed_digests(tmp_path / "c")


@pytest.fixture(scope="module")
def bench_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-out")
    work = tmp_path_factory.mktemp("bench-work")
    args = ["--postings", "10000", "--runs", "3", "--work-dir", str(work)]
    subprocess.run(
        [sys.executable, str(BENCH / "run.py"), *args, "--output-dir", str(out), "--keep"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads((out / "10000.json").read_text()), (out / "10000.md").read_text(), work


def test_benchmark_reports_a_ratio_for_every_stage(bench_report):
    report, table, _ = bench_report
    for stage in ("ingest", "classify"):
        assert report[stage]["ratio"] > 0
        assert f"{report[stage]['ratio']:.3f}" in table
    assert report["build"]["peak_rss_mib"] > 0
    assert 0 < report["build"]["models_s"] < report["build"]["wall_s"]
    saved = {p.stem for p in (REPO_ROOT / "queries").glob("*.sql")}
    assert set(report["queries"]["saved_queries"]) == saved
    assert all(q["p50_ms"] <= q["p95_ms"] for q in report["queries"]["saved_queries"].values())


def test_synthetic_ml_share_drifts_upward_through_the_real_classifier(bench_report):
    # The generator's ML share rises over time; the warehouse built from its landing
    # must show that, or the benchmark data is not exercising the classifier.
    _, _, work = bench_report
    with duckdb.connect(str(work / "bench-10000" / "build.duckdb"), read_only=True) as con:
        first, last = con.execute(
            """
            select avg(is_ml::int) filter (where posting_month < date '2017-01-01'),
                   avg(is_ml::int) filter (where posting_month >= date '2026-01-01')
            from marts.fct_job_postings
            """
        ).fetchone()
    assert 0.02 < first < last < 0.3


def test_incremental_day_writes_only_its_postings_and_equals_a_full_rebuild(
    bench_report, tmp_path, monkeypatch
):
    report, table, work = bench_report
    day = report["incremental"]
    assert day["postings_processed"] == day["day_postings"] > 0
    assert 0 < day["models_s"] < day["full_models_s"]
    assert f"{day['ratio']:.4f}" in table
    grown = work / "bench-10000"
    scratch = tmp_path / "scratch"
    shutil.copytree(grown / "landing", scratch / "landing")
    monkeypatch.setenv("HS_DATA_DIR", str(scratch))  # dbt_build sets it; restored after
    dbt_build(scratch)
    with (
        duckdb.connect(str(grown / "build.duckdb"), read_only=True) as incremental,
        duckdb.connect(str(scratch / "build.duckdb"), read_only=True) as rebuilt,
    ):
        assert mart_checksums(incremental) == mart_checksums(rebuilt)
