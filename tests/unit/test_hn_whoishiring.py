"""HN thread discovery and incremental comment fetching, over real HTTP on loopback."""

import json

import pytest

from hiring_signals.http import USER_AGENT, HttpClient
from hiring_signals.landing import iter_records, read_manifests
from hiring_signals.sources import hn_whoishiring


@pytest.mark.parametrize(
    ("title", "month"),
    [
        ("Ask HN: Who is hiring? (January 2026)", "2026-01"),
        ("Ask HN: Who is hiring? (March 2026) ", "2026-03"),
        ("Ask HN: Who wants to be hired? (March 2026)", None),
        ("Ask HN: Freelancer? Seeking freelancer? (March 2026)", None),
        ("Ask HN: Who is hiring? (Smarch 2026)", None),
    ],
)
def test_thread_month_comes_from_the_title(title, month):
    assert hn_whoishiring.thread_month(title) == month


def ingest(settings):
    with HttpClient(settings) as client:
        return hn_whoishiring.ingest(settings, client)


def test_first_run_lands_every_top_level_comment_of_the_discovered_threads(
    live_settings, replay_server
):
    result = ingest(live_settings)

    threads = {
        body["id"]: body
        for (path, _), (_, body) in replay_server.responses.items()
        if path.startswith("/v0/item/") and body.get("type") == "story"
    }
    expected = sum(len(t["kids"]) for t in threads.values())
    assert result.new_records == expected == 1017
    assert result.errors == []
    assert replay_server.user_agents == {USER_AGENT}
    batch = next(live_settings.landing_dir.rglob("*.jsonl.gz"))
    records = [json.loads(line) for _, line in iter_records(batch)]
    assert {r["thread_month"] for r in records} == {"2026-01", "2026-02", "2026-03"}
    sample = next(r for r in records if r["id"] == 46467610)
    assert sample["text_html"].startswith("MiLaboratories | Bilbao")
    assert "&amp;" in sample["text_html"] and "&amp;" not in sample["text"]


def test_daily_run_fetches_only_comments_newer_than_the_cursor(live_settings, replay_server):
    march = replay_server.responses[("/v0/item/47219668.json", "")][1]
    all_kids = march["kids"]
    newest_five = sorted(all_kids)[-5:]
    # Yesterday the March thread had every comment but the newest five.
    march["kids"] = [k for k in all_kids if k not in newest_five]
    first = ingest(live_settings)

    march["kids"] = all_kids
    replay_server.requests.clear()
    second = ingest(live_settings)

    assert second.new_records == 5
    fetched = [
        p
        for p in replay_server.requests
        if p.startswith("/v0/item/")
        and p not in ("/v0/item/46466074.json", "/v0/item/46857488.json", "/v0/item/47219668.json")
    ]
    assert sorted(fetched) == sorted(f"/v0/item/{k}.json" for k in newest_five)
    manifests = read_manifests(live_settings.landing_dir, hn_whoishiring.SOURCE)
    assert manifests[1].cursor_before == manifests[0].cursor_after
    assert manifests[1].cursor_after["47219668"] == max(newest_five)
    assert first.new_records + second.new_records == 1017

    third = ingest(live_settings)
    assert third.manifests == [], "no new comments: no new batch"
    assert len(read_manifests(live_settings.landing_dir, hn_whoishiring.SOURCE)) == 2


def test_deleted_and_dead_comments_are_skipped_but_counted(live_settings, replay_server):
    jan = replay_server.responses[("/v0/item/46466074.json", "")][1]
    dead_id, deleted_id = sorted(jan["kids"])[:2]
    replay_server.responses[(f"/v0/item/{dead_id}.json", "")][1]["dead"] = True
    replay_server.responses[(f"/v0/item/{deleted_id}.json", "")] = (
        200,
        {"id": deleted_id, "deleted": True, "parent": 46466074, "type": "comment"},
    )

    result = ingest(live_settings)

    assert result.skipped == {"deleted": 1, "dead": 1, "missing": 0, "quarantined": 0}
    assert result.new_records == 1015


def test_a_failing_comment_stops_its_thread_without_losing_the_cursor(live_settings, replay_server):
    jan = replay_server.responses[("/v0/item/46466074.json", "")][1]
    kids = sorted(jan["kids"])
    broken = kids[10]
    del replay_server.responses[(f"/v0/item/{broken}.json", "")]  # answers 404

    result = ingest(live_settings)

    assert any(f"comment {broken}" in e and "404" in e for e in result.errors)
    assert result.manifests[0].cursor_after["46466074"] == kids[9]
    assert result.new_records == 1017 - (len(kids) - 10)


def test_backfill_fetches_only_the_threads_of_the_requested_months(live_settings, replay_server):
    from datetime import UTC, datetime

    since, until = datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 2, 28, tzinfo=UTC)
    with HttpClient(live_settings) as client:
        result = hn_whoishiring.ingest(live_settings, client, since=since, until=until)

    feb = replay_server.body("/v0/item/46857488.json")
    assert result.new_records == len(feb["kids"]) == 421
    assert set(result.manifests[0].cursor_after) == {"46857488"}


def test_backfill_by_date_is_refused_for_sources_without_a_date_search(data_dir):
    from tests.conftest import run_cli

    refused = run_cli("ingest", "--source", "reddit", "--since", "2026-01-01")
    assert refused.returncode == 2
    assert "cannot be backfilled by date" in refused.stderr
    bad_day = run_cli("ingest", "--source", "hn_discussions", "--since", "01/02/2026")
    assert bad_day.returncode == 2 and "YYYY-MM-DD" in bad_day.stderr
    assert not (data_dir / "landing").exists()
