"""HN thread discovery and incremental comment fetching, over real HTTP on loopback."""

import json
from dataclasses import replace

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

    newest = (46466074, 46857488, 47219668)  # live mode follows the 3 newest threads
    kids = {t: replay_server.body(f"/v0/item/{t}.json")["kids"] for t in newest}
    assert sum(len(k) for k in kids.values()) == 1027
    assert result.new_records == 1027 + len(newest), "every comment and each thread's size"
    assert result.errors == []
    assert replay_server.user_agents == {USER_AGENT}
    batch = next(live_settings.landing_dir.rglob("*.jsonl.gz"))
    records = [json.loads(line) for _, line in iter_records(batch)]
    assert {r["thread_month"] for r in records} == {"2026-01", "2026-02", "2026-03"}
    sizes = {r["id"]: r for r in records if r["type"] == "story"}
    assert {t: sizes[t]["top_level_comments"] for t in newest} == {
        t: len(k) for t, k in kids.items()
    }
    # The size is as of the answer's Date: the capture's time, replayed.
    assert sizes[47219668]["observed_at"] == "2026-03-15T12:30:29+00:00"
    sample = next(r for r in records if r["id"] == 46467610)
    assert sample["text_html"].startswith("MiLaboratories | Bilbao")
    assert "&amp;" in sample["text_html"] and "&amp;" not in sample["text"]


def test_daily_run_fetches_only_comments_newer_than_the_cursor(live_settings, replay_server):
    # Past the re-check window (here: no window), only the cursor decides what is fetched.
    live_settings = replace(live_settings, hn_recheck_days=0)
    march = replay_server.responses[("/v0/item/47219668.json", "")][1]
    all_kids = march["kids"]
    newest_five = sorted(all_kids)[-5:]
    # Yesterday the March thread had every comment but the newest five: the first run
    # lands it from its Algolia tree as it was then.
    tree = replay_server.body("/api/v1/items/47219668")
    tree["children"] = [c for c in tree["children"] if c["id"] not in newest_five]
    first = ingest(live_settings)

    replay_server.requests.clear()
    second = ingest(live_settings)

    assert second.new_records == 5 + 1, "five comments and the March thread's new size"
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
    assert first.new_records + second.new_records == 1027 + 3 + 1

    third = ingest(live_settings)
    assert third.manifests == [], "no new comments: no new batch"
    assert len(read_manifests(live_settings.landing_dir, hn_whoishiring.SOURCE)) == 2


def test_deleted_and_dead_comments_land_with_their_status(live_settings, replay_server):
    jan = replay_server.responses[("/v0/item/46466074.json", "")][1]
    live = [
        k
        for k in sorted(jan["kids"])
        if not replay_server.body(f"/v0/item/{k}.json").get("deleted")
        and not replay_server.body(f"/v0/item/{k}.json").get("dead")
    ]
    dead_id, deleted_id = live[:2]
    # The thread lands from its Algolia tree: a deleted node has neither author nor
    # text; a dead one carries the capture's flag (Algolia's shape has none).
    nodes = {c["id"]: c for c in replay_server.body("/api/v1/items/46466074")["children"]}
    nodes[dead_id]["dead"] = True
    nodes[deleted_id]["author"] = nodes[deleted_id]["text"] = None

    result = ingest(live_settings)

    assert result.skipped == {"missing": 0, "quarantined": 0}
    assert result.new_records == 1027 + 3
    # Six comments of January 2026 were already deleted when the page was captured.
    assert result.manifests[0].stats["hidden_comments"] == {"dead": 1, "deleted": 1 + 6}
    batch = next(live_settings.landing_dir.rglob("*.jsonl.gz"))
    records = [json.loads(line) for _, line in iter_records(batch)]
    status = {r["id"]: r.get("status") for r in records}
    assert (status[dead_id], status[deleted_id]) == ("dead", "deleted")


def test_a_failing_comment_stops_its_thread_without_losing_the_cursor(live_settings, replay_server):
    jan = replay_server.responses[("/v0/item/46466074.json", "")][1]
    kids = sorted(jan["kids"])
    broken = kids[10]
    del replay_server.responses[(f"/v0/item/{broken}.json", "")]  # answers 404
    # Algolia has no tree of the thread (404): the daily run reads it item by item.
    del replay_server.responses[("/api/v1/items/46466074", "")]

    result = ingest(live_settings)

    assert any("thread 46466074 (2026-01)" in n and "no Algolia tree" in n for n in result.notices)
    assert any(f"comment {broken}" in e and "404" in e for e in result.errors)
    assert result.manifests[0].cursor_after["46466074"] == kids[9]
    assert result.new_records == 1027 - (len(kids) - 10) + 3


def test_backfill_fetches_only_the_threads_of_the_requested_months(live_settings, replay_server):
    from datetime import UTC, datetime

    since, until = datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 2, 28, tzinfo=UTC)
    with HttpClient(live_settings) as client:
        result = hn_whoishiring.ingest(live_settings, client, since=since, until=until)

    feb = replay_server.body("/v0/item/46857488.json")
    assert result.new_records == len(feb["kids"]) + 1 == 421 + 1
    assert set(result.manifests[0].cursor_after) == {"46857488"}


def test_backfill_by_date_is_refused_for_sources_without_a_date_search(data_dir):
    from tests.conftest import run_cli

    refused = run_cli("ingest", "--source", "reddit", "--since", "2026-01-01")
    assert refused.returncode == 2
    assert "cannot be backfilled by date" in refused.stderr
    bad_day = run_cli("ingest", "--source", "hn_discussions", "--since", "01/02/2026")
    assert bad_day.returncode == 2 and "YYYY-MM-DD" in bad_day.stderr
    assert not (data_dir / "landing").exists()


def test_the_2011_2012_capitalised_titles_are_monthly_threads():
    assert hn_whoishiring.thread_month("Ask HN: Who is Hiring? (April 2011)") == "2011-04"
    assert hn_whoishiring.thread_month("Ask HN: Who Is Hiring? (October 2012) ") == "2012-10"
    assert hn_whoishiring.thread_month("Ask HN: Who is hiring right now?") is None


def test_a_backfill_of_every_thread_costs_one_request_per_thread(live_settings, replay_server):
    from datetime import UTC, datetime

    with HttpClient(live_settings) as client:
        result = hn_whoishiring.ingest(
            live_settings, client, since=datetime(2011, 4, 1, tzinfo=UTC)
        )

    # The fixture's listing: one page of its 13 threads and the empty page; then 13 trees.
    assert result.requests == len(replay_server.requests) == 2 + 13
    assert not [p for p in replay_server.requests if p.startswith("/v0/")]
    assert result.errors == []
    assert result.new_records == 4560 + 13, "every top-level comment and each thread's size"
    assert result.manifests[0].stats["thread_trees"] == {"threads": 13, "comments": 4560}
