"""Job board snapshots over real HTTP on loopback: normal days, faults and bad input.

The boards are the test fixture's (tests/fixtures/sample/replay/boards.yaml): real
recorded answers. Over the loopback server each board answers as on its newest
recorded day (Perplexity: 2025-09-13, Anthropic: 09-14); SmarterDx, Palantir and
OpenEvidence are the trimmed real answers of tests/fixtures/ats_real, with no recorded
Date."""

import gzip
import json
import time
from datetime import timedelta
from email.utils import format_datetime

import pytest

from hiring_signals import landing
from hiring_signals.http import HttpClient, ReplayTransport
from hiring_signals.landing import iter_records, read_manifests
from hiring_signals.pipeline import ingest_source
from hiring_signals.sources import ats_boards
from hiring_signals.sources.config import load_boards
from tests.conftest import REPLAY_DIR
from tests.replay_server import Fault

SMARTERDX = "/v1/boards/smarterdx/jobs"
PERPLEXITY = "/v1/boards/perplexityai/jobs"


def ingest(settings):
    with HttpClient(settings) as client:
        return ats_boards.ingest_boards(settings, client, load_boards(settings.boards_file))


def manifests_by_board(settings, source="greenhouse"):
    return {m.scope: m for m in read_manifests(settings.landing_dir, source)}


def quarantined(settings, source):
    files = sorted((settings.quarantine_dir / source).glob("fetch-*.jsonl"))
    return [json.loads(line) for f in files for line in f.read_text().splitlines()]


@pytest.fixture
def tomorrow(monkeypatch, replay_server):
    """Move the clock one day ahead, the server's ``Date`` too: board observations are
    daily and dated by the answer."""

    def travel(days: int = 1) -> None:
        moved = landing.utc_now() + timedelta(days=days)
        monkeypatch.setattr(landing, "utc_now", lambda: moved)
        monkeypatch.setattr(ats_boards, "utc_now", lambda: moved)
        replay_server.now = format_datetime(moved.replace(microsecond=0), usegmt=True)

    return travel


def test_every_board_lands_one_snapshot_with_its_jobs_as_sent(live_settings, replay_server):
    results = ingest(live_settings)

    assert {s: r.new_records for s, r in results.items()} == {
        "greenhouse": 176 + 75 + 16 + 2,  # Anthropic as on 09-14, the others 09-13
        "lever": 2,
        "ashby": 313 + 2,
    }
    assert all(not r.errors for r in results.values())
    perplexity = manifests_by_board(live_settings)["perplexityai"]
    assert perplexity.status == "ok" and perplexity.snapshot_batch_id == perplexity.batch_id
    assert perplexity.fetched_at == "2025-09-13T09:23:35+00:00", "dated by the answer's Date"
    batch = next(live_settings.landing_dir.glob(f"greenhouse/dt=*/{perplexity.data_file}"))
    jobs = [json.loads(line) for _, line in iter_records(batch)]
    sent = replay_server.body(PERPLEXITY, "content=true")["jobs"]
    assert [{k: v for k, v in j.items() if not k.startswith("_")} for j in jobs] == sent
    assert {j["_company"] for j in jobs} == {"Perplexity AI"}
    # The trimmed real answer says the untrimmed board had 11 jobs: reported, not fatal.
    assert "greenhouse:smarterdx: meta.total says 11 jobs, the answer lists 2" in (
        results["greenhouse"].notices
    )


def test_replay_observes_each_recorded_day_on_its_date_and_a_rerun_lands_nothing(settings):
    first = ingest_source(settings, "greenhouse")

    assert first.errors == []
    history = [
        (m.fetched_at[:10], m.status, m.record_count)
        for m in read_manifests(settings.landing_dir, "greenhouse")
        if m.scope == "runwayml"
    ]
    # Runway: 16 jobs every day; one changed its title on 09-12 and one on 09-13.
    assert history == [
        ("2025-09-10", "ok", 16),
        ("2025-09-11", "unchanged", 0),
        ("2025-09-12", "ok", 16),
        ("2025-09-13", "ok", 16),
    ]
    perplexity = [
        m.record_count
        for m in read_manifests(settings.landing_dir, "greenhouse")
        if m.scope == "perplexityai" and m.status == "ok"
    ]
    assert perplexity == [78, 78, 75]  # 09-12 unchanged; three closed on 09-13
    assert ingest_source(settings, "greenhouse").manifests == []


def test_same_day_rerun_writes_nothing_and_a_changed_board_a_new_snapshot(
    live_settings, replay_server
):
    ingest(live_settings)
    again = ingest(live_settings)
    assert sum(len(r.manifests) for r in again.values()) == 0

    replay_server.body(SMARTERDX, "content=true")["jobs"].pop()
    changed = ingest(live_settings)

    assert [(m.scope, m.status, m.record_count) for m in changed["greenhouse"].manifests] == [
        ("smarterdx", "ok", 1)
    ]


def test_unchanged_board_answers_304_to_its_etag_and_is_recorded_unchanged(
    live_settings, replay_server, tomorrow
):
    replay_server.etags[PERPLEXITY] = '"v1"'
    ingest(live_settings)
    assert manifests_by_board(live_settings)["perplexityai"].validators["etag"] == '"v1"'

    tomorrow()
    replay_server.request_headers.clear()
    ingest(live_settings)

    conditional = [h for h in replay_server.request_headers if h.get("If-None-Match") == '"v1"']
    assert len(conditional) == 1
    history = [
        m
        for m in read_manifests(live_settings.landing_dir, "greenhouse")
        if m.scope == "perplexityai"
    ]
    assert [m.status for m in history] == ["ok", "unchanged"]
    assert history[1].snapshot_batch_id == history[0].batch_id and history[1].data_file is None


def test_429_with_retry_after_is_waited_out_and_the_data_is_complete(live_settings, replay_server):
    replay_server.faults[PERPLEXITY].append(
        Fault(status=429, body_text="slow down", headers={"Retry-After": "1"})
    )
    started = time.monotonic()
    results = ingest(live_settings)

    assert time.monotonic() - started >= 1.0
    assert results["greenhouse"].errors == []
    assert manifests_by_board(live_settings)["perplexityai"].record_count == 75


@pytest.mark.parametrize(
    "fault",
    [Fault(status=500, body_text="oops"), Fault(status=503), Fault(delay_s=1.5), Fault(drop=True)],
    ids=["500", "503", "timeout", "connection-dropped"],
)
def test_failures_past_the_retry_budget_fail_only_that_board(live_settings, replay_server, fault):
    replay_server.faults[SMARTERDX].extend([fault] * live_settings.http_max_attempts)

    results = ingest(live_settings)

    calls = [r for r in replay_server.requests if r.startswith(SMARTERDX)]
    assert len(calls) == live_settings.http_max_attempts
    assert len(results["greenhouse"].errors) == 1
    assert results["greenhouse"].errors[0].startswith("greenhouse:smarterdx:")
    boards = manifests_by_board(live_settings)
    assert boards["smarterdx"].status == "failed" and boards["smarterdx"].data_file is None
    assert not list(live_settings.landing_dir.glob("greenhouse/dt=*/*.tmp"))
    assert boards["perplexityai"].status == "ok"
    assert results["lever"].new_records == 2 and results["ashby"].new_records == 315


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"jobs": [{"id": 1, "title": "Engineer"', "application/json"),
        ("<html><body>Service temporarily unavailable</body></html>", "text/html"),
        ("", "application/json"),
    ],
    ids=["truncated-json", "html-error-page-with-200", "empty-body"],
)
def test_unparseable_200_responses_are_quarantined_with_source_and_url(
    live_settings, replay_server, body, content_type
):
    replay_server.faults[SMARTERDX].append(
        Fault(status=200, body_text=body, headers={"Content-Type": content_type})
    )

    results = ingest(live_settings)

    assert "bad response quarantined" in results["greenhouse"].errors[0]
    [entry] = quarantined(live_settings, "greenhouse")
    assert entry["source"] == "greenhouse" and entry["field"] == "<response>"
    assert entry["url"].endswith("/v1/boards/smarterdx/jobs?content=true")
    assert "not valid JSON" in entry["reason"] and entry["raw"] == body
    assert manifests_by_board(live_settings)["smarterdx"].status == "failed"
    assert manifests_by_board(live_settings)["perplexityai"].status == "ok"


def test_wrong_shape_is_quarantined_as_a_bad_response(live_settings, replay_server):
    replay_server.responses[("/posting-api/job-board/openevidence", "includeCompensation=true")] = (
        200,
        {"apiVersion": "1", "results": []},
    )
    results = ingest(live_settings)
    assert "expected an object with a 'jobs' list" in results["ashby"].errors[0]
    [entry] = quarantined(live_settings, "ashby")
    assert entry["url"].endswith("/job-board/openevidence?includeCompensation=true")
    assert json.loads(entry["raw"]) == {"apiVersion": "1", "results": []}


def test_jobs_missing_required_fields_are_quarantined_and_unknown_fields_kept(
    live_settings, replay_server
):
    jobs = replay_server.body(PERPLEXITY, "content=true")["jobs"]
    del jobs[0]["id"]
    jobs[1]["title"] = None
    jobs[2]["brand_new_field"] = {"added": "by the vendor"}
    jobs[3]["location"] = {"name": 7}
    jobs[4]["id"] = str(jobs[4]["id"])

    results = ingest(live_settings)

    entries = quarantined(live_settings, "greenhouse")
    assert [(e["field"], e["url"].split("/")[-2]) for e in entries] == [
        ("id", "perplexityai"),
        ("title", "perplexityai"),
        ("location.name", "perplexityai"),
        ("id", "perplexityai"),
    ]
    assert entries[0]["reason"] == "required field is missing"
    assert entries[3]["reason"].startswith("wrong type: Input should be a valid integer")
    assert f"greenhouse:perplexityai: job '{jobs[4]['id']}' quarantined: id: wrong type" in (
        " ".join(results["greenhouse"].notices)
    )
    assert results["greenhouse"].errors == []
    board = manifests_by_board(live_settings)["perplexityai"]
    assert board.record_count == 75 - 4
    batch = next(live_settings.landing_dir.glob(f"greenhouse/dt=*/{board.data_file}"))
    landed = [json.loads(line) for _, line in iter_records(batch)]
    assert landed[0]["brand_new_field"] == {"added": "by the vendor"}


def test_lever_pages_until_a_short_page(live_settings, replay_server):
    path = "/v0/postings/palantir"
    first = replay_server.body(path, "limit=100&mode=json&skip=0")
    page = [dict(first[0], id=f"p-{n}") for n in range(100)]
    replay_server.responses[(path, "limit=100&mode=json&skip=0")] = (200, page)
    replay_server.responses[(path, "limit=100&mode=json&skip=100")] = (200, first)

    results = ingest(live_settings)

    assert manifests_by_board(live_settings, "lever")["palantir"].record_count == 102
    assert results["lever"].errors == []


def test_a_board_that_disappears_is_reported_and_recorded_gone(
    live_settings, replay_server, tomorrow
):
    ingest(live_settings)
    del replay_server.responses[(SMARTERDX, "content=true")]
    tomorrow()

    results = ingest(live_settings)

    assert results["greenhouse"].errors == []
    assert any(
        "greenhouse:smarterdx: board not found (HTTP 404)" in n
        for n in results["greenhouse"].notices
    )
    assert results["greenhouse"].changed
    assert manifests_by_board(live_settings)["smarterdx"].status == "gone"


def test_a_board_recorded_only_from_a_later_day_is_gone_before_and_lands_after(settings, tmp_path):
    """The replay transport serves each request as recorded on the day replayed; a board
    with no answer yet that day is gone that day, dated that day."""
    with gzip.open(REPLAY_DIR / "ats_boards.jsonl.gz", "rt", encoding="utf-8") as recorded:
        lines = [json.loads(line) for line in recorded]
    runway = [line for line in lines if line["path"] == "/v1/boards/runwayml/jobs"]
    perplexity = [line for line in lines if line["path"] == PERPLEXITY]
    replay = tmp_path / "replay"
    replay.mkdir()
    kept = perplexity[:2] + runway[1:2]  # Runway's answer of 09-10 is missing
    (replay / "boards.jsonl").write_text("".join(json.dumps(line) + "\n" for line in kept))
    boards = [
        b for b in load_boards(settings.boards_file) if b.token in ("perplexityai", "runwayml")
    ]

    with HttpClient(settings, transport=ReplayTransport(replay)) as client:
        days = []
        for day in client.recorded_days(ats_boards.board_paths(boards)):
            days.append(day)
            ats_boards.ingest_boards(settings, client, boards)

    assert [d.date().isoformat() for d in days] == ["2025-09-10", "2025-09-11"]
    history = [
        (m.fetched_at[:10], m.status, m.record_count)
        for m in read_manifests(settings.landing_dir, "greenhouse")
        if m.scope == "runwayml"
    ]
    assert history == [("2025-09-10", "gone", 0), ("2025-09-11", "ok", 16)]
