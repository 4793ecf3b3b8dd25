"""Edits and removals of HN comments: the October 2025 thread replayed day by day.

``sample_data/replay_days/`` holds one replay folder per real capture of the thread page
(2025-10-01 to 2025-11-01; the last capture is a real 0-byte failed fetch). Ingesting
them in order into one data folder must land each comment that appears, each edit and
each removal once, and leave the landing untouched on the 0-byte day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from hiring_signals.http import HttpClient
from hiring_signals.landing import iter_records, read_manifests
from hiring_signals.settings import REPO_ROOT, Settings, load_settings
from hiring_signals.sources import hn_whoishiring
from hiring_signals.sources.base import IngestResult
from tests.conftest import file_sha256, live_mode_env
from tests.replay_server import ReplayServer

DAYS_DIR = REPO_ROOT / "sample_data" / "replay_days"
DAYS = sorted(path for path in DAYS_DIR.iterdir() if path.is_dir())
EMPTY_DAY = "2025-11-01T0539Z"  # the real 0-byte capture
THREAD = 45438503


def ingest(settings: Settings) -> IngestResult:
    with HttpClient(settings) as client:
        return hn_whoishiring.ingest(settings, client)


def landed(settings: Settings) -> list[dict]:
    """Every landed record, in batch order (the order of versions)."""
    records = []
    for manifest in read_manifests(settings.landing_dir, hn_whoishiring.SOURCE):
        path = next(settings.landing_dir.rglob(manifest.data_file))
        records += [json.loads(line) for _, line in iter_records(path)]
    return records


def landing_digests(settings: Settings) -> dict[Path, str]:
    return {p: file_sha256(p) for p in settings.landing_dir.rglob("*") if p.is_file()}


def versions(records: list[dict], comment_id: int) -> list[dict]:
    return [r for r in records if r["type"] == "comment" and r["id"] == comment_id]


@dataclass
class Replayed:
    settings: Settings
    results: dict[str, IngestResult]  # per day folder name
    batches_before_empty_day: dict[Path, str]  # batch file -> sha256
    rerun: IngestResult  # the last good day ingested a second time


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Replayed:
    """The day folders ingested in order into one fresh data folder, once per module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HS_DATA_DIR", str(tmp_path_factory.mktemp("oct") / "data"))
        patch.setenv("HS_MODE", "replay")
        base = load_settings()
    results: dict[str, IngestResult] = {}
    batches: dict[Path, str] = {}
    rerun = None
    for day in DAYS:
        settings = replace(base, replay_dir=day)
        if day.name == EMPTY_DAY:
            rerun = ingest(replace(base, replay_dir=DAYS[DAYS.index(day) - 1]))
            batches = landing_digests(base)
        results[day.name] = ingest(settings)
    assert rerun is not None
    return Replayed(base, results, batches, rerun)


def test_every_day_is_a_real_capture_and_the_last_one_is_empty():
    assert len(DAYS) == 15
    assert DAYS[-1].name == EMPTY_DAY


def test_a_comment_that_appears_on_a_later_day_lands_that_day(replayed):
    # 45583517 is first on the capture of 2025-10-15 03:45 UTC.
    day = replayed.results["2025-10-15T0345Z"]
    (batch,) = day.manifests
    path = next(replayed.settings.landing_dir.rglob(batch.data_file))
    assert 45583517 in {json.loads(line)["id"] for _, line in iter_records(path)}
    assert len(versions(landed(replayed.settings), 45583517)) == 1


def test_an_edited_comment_has_two_versions_the_later_text_last(replayed):
    # 45451487 was edited between 2025-10-16 and 2025-10-18: "ROLE HAS BEEN FILLED".
    edited = versions(landed(replayed.settings), 45451487)
    assert len(edited) == 2
    assert not edited[0]["text_html"].startswith("ROLE HAS BEEN FILLED")
    assert edited[1]["text_html"].startswith("ROLE HAS BEEN FILLED<p>")
    assert edited[1]["time"] == edited[0]["time"] and edited[1]["status"] == "live"
    stats = replayed.results["2025-10-18T0820Z"].manifests[0].stats
    assert stats["rechecked"] == {str(THREAD): {"new": 0, "changed": 1, "removed": 0}}


def test_a_comment_flagged_later_lands_its_new_status(replayed):
    # 45443163 was live on 2025-10-02 03:38 UTC and [flagged] at 14:40.
    flagged = versions(landed(replayed.settings), 45443163)
    assert [v["status"] for v in flagged] == ["live", "flagged"]
    assert flagged[1]["text_html"] is None


def test_a_comment_that_disappears_gets_a_tombstone(replayed):
    records = landed(replayed.settings)
    # Gone from the captures of 2025-10-11, 2025-10-16 and 2025-10-23 respectively.
    for comment_id in (45447328, 45439808, 45444407):
        first, gone = versions(records, comment_id)
        assert gone["status"] == "removed"
        assert gone["text"] is None and gone["text_html"] is None
        assert (gone["time"], gone["by"], gone["thread_id"]) == (
            first["time"],
            first["by"],
            THREAD,
        )
        assert set(gone) == set(first)
    assert sum(r.get("status") == "removed" for r in records) == 3


def test_reingesting_the_same_day_lands_nothing(replayed):
    assert replayed.rerun.manifests == []
    assert replayed.rerun.errors == []
    # The same observation (same Date) was re-checked already: the listing (the page of
    # the thread and the empty page that ends it) and the thread only.
    assert replayed.rerun.requests == 3


def test_the_empty_day_is_quarantined_and_the_landing_is_untouched(replayed):
    result = replayed.results[EMPTY_DAY]
    assert result.manifests == [] and result.errors == []
    assert any(f"thread {THREAD} quarantined: <response>" in n for n in result.notices)
    after = landing_digests(replayed.settings)
    assert after == replayed.batches_before_empty_day, "no new batch, none rewritten"
    (entry,) = [
        json.loads(line)
        for path in (replayed.settings.quarantine_dir / hn_whoishiring.SOURCE).glob("*.jsonl")
        for line in path.read_text().splitlines()
    ]
    assert entry["source"] == hn_whoishiring.SOURCE
    assert entry["url"].endswith(f"/item/{THREAD}.json")
    assert entry["field"] == "<response>"
    assert entry["reason"].startswith(f"thread {THREAD} (2025-10):")
    assert entry["raw"] == ""


def test_no_comment_is_tombstoned_for_the_empty_day(replayed):
    records = landed(replayed.settings)
    live_ids = {r["id"] for r in records if r["type"] == "comment"}
    assert len(live_ids) == 360, "every comment id any capture showed"
    assert sum(r.get("status") == "removed" for r in records) == 3
    cursor = hn_whoishiring.current_cursor(
        read_manifests(replayed.settings.landing_dir, hn_whoishiring.SOURCE)
    )
    assert cursor == {str(THREAD): 45594100}, "the highest id of the last good capture"


def test_the_empty_thread_answer_over_http_is_quarantined_too(data_dir, monkeypatch):
    """The 0-byte answer through the loopback server: a real empty HTTP body."""
    last_good, empty = DAYS[-2], DAYS[-1]
    for day, expect_batch in ((last_good, True), (empty, False)):
        with ReplayServer(day).running() as server:
            for name, value in live_mode_env(server.base_url).items():
                monkeypatch.setenv(name, value)
            result = ingest(load_settings())
        assert bool(result.manifests) is expect_batch
    assert any("not valid JSON" in n for n in result.notices)
    manifests = read_manifests(data_dir / "landing", hn_whoishiring.SOURCE)
    assert len(manifests) == 1
    assert hn_whoishiring.current_cursor(manifests) == {str(THREAD): 45594100}


@pytest.mark.parametrize(
    ("story", "age"),
    [
        ({"time": 1759330875}, 30.61),  # the October 2025 thread at its 0-byte capture
        ({"time": True}, None),
        ({"time": 10**20}, None),  # out of the calendar: unknown, so no re-check
        ({}, None),
    ],
)
def test_thread_age_is_days_from_its_time_to_the_answer(story, age):
    got = hn_whoishiring.thread_age_days(story, "2025-11-01T05:39:42+00:00")
    assert got == age if age is None else round(got, 2) == age


def test_the_first_day_lands_the_thread_from_its_algolia_tree(replayed):
    (batch,) = replayed.results[DAYS[0].name].manifests
    assert batch.stats["thread_trees"] == {"threads": 1, "comments": 87}
    # Inside the re-check window the tree records the versions a re-check compares with.
    assert len(batch.stats["comment_versions"][str(THREAD)]) == 87
    assert str(THREAD) in batch.stats["rechecked_at"]
