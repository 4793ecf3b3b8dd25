"""The landing contract: immutable batches committed by manifests, bad lines quarantined."""

import gzip
import json
import threading
from pathlib import Path

from pydantic import StrictInt

from hiring_signals.landing import (
    LOCK_FILE,
    MANIFEST_SUFFIX,
    encode_records,
    landing_lock,
    read_manifests,
    validate_landing,
    write_batch,
)
from hiring_signals.sources.registry import LandedRecord


class DemoRecord(LandedRecord):
    id: StrictInt
    time: StrictInt


REQUIRED = {"demo": DemoRecord}


def land(landing: Path, records: list[dict]):
    return write_batch(
        landing,
        "demo",
        records,
        urls=["http://example.invalid/x"],
        cursor_before={},
        cursor_after={"last": 3},
        method="test",
    )


def test_batch_and_manifest_describe_the_same_bytes(tmp_path):
    manifest = land(tmp_path, [{"id": 1, "time": 10}, {"id": 2, "time": 20}])
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.name != LOCK_FILE)
    assert files == [f"{manifest.batch_id}.jsonl.gz", f"{manifest.batch_id}{MANIFEST_SUFFIX}"]
    data = next(tmp_path.rglob("*.jsonl.gz")).read_bytes()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == manifest.sha256
    assert manifest.record_count == 2
    assert [m.batch_id for m in read_manifests(tmp_path, "demo")] == [manifest.batch_id]


def test_empty_fetch_writes_nothing(tmp_path):
    assert land(tmp_path, []) is None
    assert not any(p for p in tmp_path.iterdir() if p.name != LOCK_FILE)


def test_same_records_encode_to_identical_bytes():
    records = [{"b": "ü", "a": 1}, {"a": 2, "b": None}]
    assert encode_records(records) == encode_records([dict(r) for r in records])


def test_bad_lines_are_quarantined_with_file_line_and_field(tmp_path):
    landing, quarantine = tmp_path / "landing", tmp_path / "quarantine"
    manifest = land(landing, [{"id": 1, "time": 10}])
    batch = next(landing.rglob("*.jsonl.gz"))
    good = json.dumps({"id": 2, "time": 20})
    # Damage the batch in place, as a disk error or a buggy writer would.
    body = gzip.decompress(batch.read_bytes()).decode() + '{"id": 3, "time": \n' + good + "\n"
    body += json.dumps({"id": "four", "time": 40}) + "\n"
    batch.write_bytes(gzip.compress(body.encode()))

    problems = validate_landing(landing, quarantine, REQUIRED)

    assert [(p.line, p.field) for p in problems] == [(2, "<line>"), (4, "id")]
    assert problems[0].file.endswith(f"{manifest.batch_id}.jsonl.gz")
    assert "invalid JSON" in problems[0].reason
    assert problems[1].reason == "Input should be a valid integer, got str"
    saved = (quarantine / "demo" / f"{manifest.batch_id}.jsonl").read_text().splitlines()
    assert [json.loads(s)["line"] for s in saved] == [2, 4]
    assert batch.exists(), "the landed batch itself is never deleted"


def test_data_file_without_manifest_is_moved_out_of_the_landing(tmp_path):
    landing, quarantine = tmp_path / "landing", tmp_path / "quarantine"
    manifest = land(landing, [{"id": 1, "time": 10}])
    next(landing.rglob(f"*{MANIFEST_SUFFIX}")).unlink()  # crash before the manifest rename

    problems = validate_landing(landing, quarantine, REQUIRED)

    assert [p.reason for p in problems] == ["data file has no manifest (interrupted write)"]
    assert not list(landing.rglob("*.jsonl.gz"))
    assert (quarantine / "demo" / "orphans" / f"{manifest.batch_id}.jsonl.gz").exists()


def test_dbt_reads_the_empty_file_for_a_source_without_batches(tmp_path, monkeypatch):
    from hiring_signals.settings import load_settings
    from hiring_signals.warehouse import EMPTY_SOURCE, dbt_vars

    monkeypatch.setenv("HS_DATA_DIR", str(tmp_path))
    values = dbt_vars(load_settings())
    assert values["HS_FILES_REDDIT"] == str(EMPTY_SOURCE), "no batches yet: the empty file"


def damaged(landing: Path, records: list[dict], bad_line: str) -> Path:
    land(landing, records)
    batch = max(landing.rglob("*.jsonl.gz"), key=lambda p: p.stat().st_mtime_ns)
    body = gzip.decompress(batch.read_bytes()).decode() + bad_line + "\n"
    batch.write_bytes(gzip.compress(body.encode()))
    return batch


def test_each_batch_is_checked_once_and_later_builds_report_only_new_problems(tmp_path):
    landing, quarantine = tmp_path / "landing", tmp_path / "quarantine"
    first = damaged(landing, [{"id": 1, "time": 10}], '{"id": null, "time": 1}')

    assert [p.line for p in validate_landing(landing, quarantine, REQUIRED)] == [2]
    assert validate_landing(landing, quarantine, REQUIRED) == []

    second = damaged(landing, [{"id": 5, "time": 50}], "not json")
    problems = validate_landing(landing, quarantine, REQUIRED)
    assert [(Path(p.file).name, p.field) for p in problems] == [(second.name, "<line>")]
    assert (quarantine / "demo" / first.name.replace(".jsonl.gz", ".jsonl")).exists()


def test_check_waits_for_a_batch_being_written_before_removing_leftovers(tmp_path):
    landing, quarantine = tmp_path / "landing", tmp_path / "quarantine"
    directory = landing / "demo" / "dt=2026-11-26"
    directory.mkdir(parents=True)
    in_flight = directory / "20261126T000000000000Z-abc.jsonl.gz.tmp"
    with landing_lock(landing, exclusive=False):  # a writer between its write and rename
        in_flight.write_bytes(b"half a batch")
        check = threading.Thread(target=validate_landing, args=(landing, quarantine, REQUIRED))
        check.start()
        check.join(timeout=0.5)
        assert check.is_alive(), "the check must wait for the writer"
        assert in_flight.exists()
    check.join(timeout=10)
    assert not check.is_alive()
    assert not in_flight.exists(), "once no writer holds the landing, leftovers are removed"
