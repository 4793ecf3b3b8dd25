"""Readers of the published warehouse never fail and never see a mix of two snapshots
while publishes replace the file under them."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from hiring_signals.warehouse import publish

pytestmark = pytest.mark.slow

READERS = 8
PUBLISHES = 5
SECONDS_BETWEEN_PUBLISHES = 1.5

# What each reader process does, over and over until told to stop: open the published
# file read-only, read the newest snapshot id and a count and digest of a mart in that
# same connection, close. Every outcome (including errors) is counted, not raised.
READER = r"""
import json, os, sys, time
import duckdb

path, ready, stop = sys.argv[1:4]
seen, errors, reads = {}, [], 0
deadline = time.monotonic() + 600
while time.monotonic() < deadline and not os.path.exists(stop):
    try:
        con = duckdb.connect(path, read_only=True)
        try:
            (snapshot,) = con.execute(
                "select snapshot_id from meta.snapshots order by published_at desc limit 1"
            ).fetchone()
            rows, digest = con.execute(
                "select count(*), bit_xor(hash(posting_id)) from marts.fct_job_postings"
            ).fetchone()
        finally:
            con.close()
        key = f"{snapshot} {rows} {digest}"
        seen[key] = seen.get(key, 0) + 1
        reads += 1
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    if reads == 1 and not os.path.exists(ready):
        open(ready, "w").close()
print(json.dumps({"reads": reads, "seen": seen, "errors": errors}))
"""

DIGEST = "select count(*), bit_xor(hash(posting_id)) from marts.fct_job_postings"


def make_variants(build_db: Path, folder: Path, count: int) -> list[Path]:
    """Builds of different content: variant k lacks the k lowest posting ids."""
    variants = []
    for k in range(count):
        variant = folder / f"variant-{k}.duckdb"
        shutil.copyfile(build_db, variant)
        with duckdb.connect(str(variant)) as con:
            con.execute(
                "delete from marts.fct_job_postings where posting_id in "
                "(select posting_id from marts.fct_job_postings order by posting_id limit ?)",
                [k],
            )
        variants.append(variant)
    return variants


def expected_digest(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        rows, digest = con.execute(DIGEST).fetchone()
    return f"{rows} {digest}"


def test_readers_see_whole_snapshots_while_publishes_replace_the_file(published_copy, tmp_path):
    settings = published_copy  # ingested and built
    variants = make_variants(settings.build_db, tmp_path, PUBLISHES + 1)
    expected: dict[str, str] = {}  # snapshot id -> "rows digest" of its fct_job_postings

    def publish_variant(variant: Path) -> None:
        shutil.copyfile(variant, settings.build_db)
        snapshot = publish(settings)
        expected[snapshot.snapshot_id] = expected_digest(variant)

    publish_variant(variants[0])
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                READER,
                str(settings.analytics_db),
                str(tmp_path / f"ready-{i}"),
                str(stop),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(READERS)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all((tmp_path / f"ready-{i}").exists() for i in range(READERS)):
            assert time.monotonic() < deadline, "readers did not start reading"
            assert all(r.poll() is None for r in readers), "a reader exited early"
            time.sleep(0.05)
        publish_seconds = []
        for variant in variants[1:]:
            time.sleep(SECONDS_BETWEEN_PUBLISHES)
            started = time.monotonic()
            publish_variant(variant)
            publish_seconds.append(time.monotonic() - started)
        time.sleep(SECONDS_BETWEEN_PUBLISHES)
    finally:
        stop.touch()
        outputs = [r.communicate(timeout=120) for r in readers]
    results = [json.loads(stdout) for stdout, _ in outputs]

    assert len(expected) == PUBLISHES + 1, "every publish made a distinct snapshot"
    assert len(set(expected.values())) == PUBLISHES + 1, "and distinct mart contents"
    errors = [e for r in results for e in r["errors"]]
    assert errors == [], f"{len(errors)} reader errors, first: {errors[:3]}"
    reads_per_snapshot = dict.fromkeys(expected, 0)
    for result in results:
        for key, count in result["seen"].items():
            snapshot, contents = key.split(" ", 1)
            assert snapshot in expected, f"a reader saw an unknown snapshot {snapshot}"
            assert contents == expected[snapshot], (
                f"a reader saw snapshot {snapshot} with the marts of another: {contents}"
            )
            reads_per_snapshot[snapshot] += count
    assert all(r["reads"] > 0 for r in results), "every reader kept reading"
    assert all(n > 0 for n in reads_per_snapshot.values()), reads_per_snapshot
    total = sum(r["reads"] for r in results)
    print(
        f"\nconcurrent readers: {READERS} readers, {total} reads, {len(errors)} errors, "
        f"reads per snapshot {list(reads_per_snapshot.values())}, publishes took "
        f"{', '.join(f'{s:.2f}' for s in publish_seconds)} s"
    )
