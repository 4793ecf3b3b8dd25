"""Social threads over real HTTP on loopback: incremental runs, backfill, secrets."""

import json
from datetime import UTC, datetime

from hiring_signals.http import HttpClient, canonical_query
from hiring_signals.landing import iter_records, read_manifests
from hiring_signals.sources import hn_discussions, reddit
from hiring_signals.sources.config import load_social
from tests.replay_server import Fault

SEARCH = "/api/v1/search_by_date"


def search_key(query: str, **extra) -> tuple[str, str]:
    params = {"query": query, "tags": "(story,comment)", "hitsPerPage": 100, "page": 0}
    return SEARCH, canonical_query(params | extra)


def run_hn(settings):
    queries = load_social(settings.social_file).hn_queries
    with HttpClient(settings) as client:
        return [hn_discussions.ingest_query(settings, client, q) for q in queries]


def landed(settings, source):
    return [
        json.loads(line)
        for path in sorted(settings.landing_dir.glob(f"{source}/dt=*/*.jsonl.gz"))
        for _, line in iter_records(path)
    ]


def test_hn_daily_run_lands_only_items_newer_than_the_cursor(live_settings, replay_server):
    first = run_hn(live_settings)
    assert [r.new_records for r in first] == [3, 3]

    hits = replay_server.responses[search_key("AI layoffs")][1]["hits"]
    newest = max(h["created_at_i"] for h in hits)
    hits.insert(0, dict(hits[-1], objectID="99", created_at_i=newest + 60, comment_text="New"))
    second = run_hn(live_settings)

    assert [r.new_records for r in second] == [0, 1]
    assert [r["objectID"] for r in landed(live_settings, "hn_discussions")][-1] == "99"
    manifests = [
        m
        for m in read_manifests(live_settings.landing_dir, "hn_discussions")
        if m.scope == "AI layoffs"
    ]
    assert manifests[-1].cursor_after == {"created_at_i": newest + 60}


def test_hn_backfill_asks_for_the_range_and_keeps_the_cursor(live_settings, replay_server):

    run_hn(live_settings)
    since, until = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC)
    filters = f"created_at_i>{int(since.timestamp())},created_at_i<{int(until.timestamp())}"
    old_hit = {
        "objectID": "7",
        "created_at_i": int(since.timestamp()) + 5,
        "author": "x",
        "_tags": ["story"],
        "title": "Old thread",
        "points": 3,
    }
    replay_server.responses[search_key("AI layoffs", numericFilters=filters)] = (
        200,
        {"hits": [old_hit], "nbPages": 1},
    )
    query = load_social(live_settings.social_file).hn_queries[1]

    with HttpClient(live_settings) as client:
        result = hn_discussions.ingest_query(live_settings, client, query, since, until)

    assert result.new_records == 1 and result.errors == []
    assert result.manifests[0].cursor_after == result.manifests[0].cursor_before


def test_reddit_lands_posts_with_top_comments_and_the_token_stays_secret(
    live_settings, replay_server, monkeypatch
):
    secret = "fake-reddit-token-0123456789"
    monkeypatch.setenv("HS_REDDIT_TOKEN", secret)
    queries = load_social(live_settings.social_file).reddit
    with HttpClient(live_settings, headers=reddit.auth_headers()) as client:
        results = [reddit.ingest_query(live_settings, client, q) for q in queries]

    assert [r.new_records for r in results] == [5, 2]
    kinds = [(r["_kind"], r["id"]) for r in landed(live_settings, "reddit")]
    assert kinds[:3] == [("post", "1mac001"), ("comment", "c1mac0011"), ("comment", "c1mac0012")]
    assert all(h.get("Authorization") == f"Bearer {secret}" for h in replay_server.request_headers)
    written = [p.read_bytes() for p in live_settings.data_dir.rglob("*") if p.is_file()]
    assert written and not any(secret.encode() in content for content in written)

    again = [reddit.ingest_query(live_settings, HttpClient(live_settings), q) for q in queries]
    assert [r.new_records for r in again] == [0, 0]


def test_a_failed_search_lands_nothing_and_keeps_the_cursor(live_settings, replay_server):

    replay_server.faults[SEARCH].extend([Fault(status=502)] * 3)
    results = run_hn(live_settings)
    assert "HTTP 502" in results[0].errors[0]
    assert results[0].manifests == [] and results[1].new_records == 3
    assert read_manifests(live_settings.landing_dir, "hn_discussions")[0].scope == "AI layoffs"
