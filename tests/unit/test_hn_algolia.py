"""HN threads through the real Algolia API shapes, over real HTTP on loopback.

``sample_data/hn_algolia_2023/`` holds real recorded Algolia answers (ryanwi/hiringtrends,
recorded 2023-09-25): the ``search_by_date`` listing of the whoishiring stories, pages
0-8 of 20 hits ending on a real empty page, and ``items/2396027``, the whole April 2011
thread. Served alone they are the world of that day as far as it was recorded: every
other thread's tree answers 404 and must be reported, never made up.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from hiring_signals.http import HttpClient
from hiring_signals.landing import iter_records, read_manifests
from hiring_signals.settings import REPO_ROOT, load_settings
from hiring_signals.sources import hn_whoishiring
from tests.conftest import live_mode_env
from tests.replay_server import ReplayServer

REAL_DIR = REPO_ROOT / "sample_data" / "hn_algolia_2023"
APRIL_2011 = 2396027
SINCE_2011 = datetime(2011, 4, 1, tzinfo=UTC)


@pytest.fixture
def real_server():
    with ReplayServer(REAL_DIR).running() as server:
        yield server


@pytest.fixture
def real_settings(data_dir, real_server, monkeypatch):
    env = live_mode_env(real_server.base_url) | {
        "HS_HTTP_MAX_ATTEMPTS": "2",
        "HS_HTTP_BACKOFF_INITIAL_S": "0.01",
        "HS_HTTP_TIMEOUT_S": "5",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def landed_records(settings) -> list[dict]:
    records = []
    for manifest in read_manifests(settings.landing_dir, hn_whoishiring.SOURCE):
        path = next(settings.landing_dir.rglob(manifest.data_file))
        records += [json.loads(line) for _, line in iter_records(path)]
    return records


def test_the_replay_lines_are_the_real_recordings_unchanged():
    from hiring_signals.http import recorded_lines

    lines = list(recorded_lines(REAL_DIR))
    assert len(lines) == 10
    assert all(line["provenance"].startswith("real (ryanwi/hiringtrends") for line in lines)
    listing = [line for line in lines if line["path"] == "/api/v1/search_by_date"]
    assert [line["body"]["page"] for line in listing] == list(range(9))
    assert {line["body"]["nbPages"] for line in listing} == {8}
    assert listing[-1]["body"]["hits"] == [], "the recording ends on a real empty page"


def test_discovery_pages_the_real_listing_until_its_empty_page(real_settings, real_server):
    with HttpClient(real_settings) as client:
        threads = hn_whoishiring.discover_threads(client, real_settings, since=SINCE_2011)

    pages = [p for p in real_server.requests if p.startswith("/api/v1/search_by_date")]
    assert len(pages) == 9, "pages 0-8: through page 7 (nbPages 8) to the empty page 8"
    assert all("query=hiring" in p and "author__whoishiring" in p for p in pages)
    months = [t.month for t in threads]
    # 149 titled monthly threads 2011-04 .. 2023-09; Algolia's listing has no July 2011.
    assert len(threads) == len(set(months)) == 149
    assert (months[0], months[-1]) == ("2023-09", "2011-04")
    assert "2011-07" not in months
    # "Who is Hiring?" (2011-2012 titles) counts; April and May 2015 came from _whoishiring.
    assert {"2011-04", "2015-04", "2015-05"} <= set(months)
    titles = {t.title for t in threads}
    assert "Ask HN: Who is hiring right now?" not in titles


def test_discovery_of_a_daily_run_stops_at_its_newest_threads(real_settings, real_server):
    with HttpClient(real_settings) as client:
        threads = hn_whoishiring.discover_threads(client, real_settings)  # max_threads 3

    assert [t.month for t in threads] == ["2023-09", "2023-08", "2023-07"]
    assert real_server.requests == [real_server.requests[0]], "one page is enough"


def test_a_listing_that_never_ends_stops_with_a_clear_error(real_settings, real_server):
    # Every page answers with the same hits and asks for the next one: no empty page.
    body = real_server.body("/api/v1/search_by_date", _query(page=0))
    for page in range(hn_whoishiring.MAX_DISCOVERY_PAGES):
        real_server.responses[("/api/v1/search_by_date", _query(page))] = (
            200,
            body | {"page": page},
        )
    with (
        HttpClient(real_settings) as client,
        pytest.raises(hn_whoishiring.DiscoveryError, match="no empty page after 60 pages"),
    ):
        hn_whoishiring.discover_threads(client, real_settings, since=SINCE_2011)


def test_a_page_answering_another_page_number_is_refused(real_settings, real_server):
    key = ("/api/v1/search_by_date", _query(page=1))
    real_server.responses[key] = (200, real_server.responses[key][1] | {"page": 0})
    with (
        HttpClient(real_settings) as client,
        pytest.raises(hn_whoishiring.DiscoveryError, match="asked for page 1, got page 0"),
    ):
        hn_whoishiring.discover_threads(client, real_settings, since=SINCE_2011)


def _query(page: int) -> str:
    from hiring_signals.http import canonical_query

    return canonical_query({**hn_whoishiring.DISCOVERY_PARAMS, "page": page})


def test_a_backfill_since_2011_costs_one_request_per_thread_and_lands_april_2011(
    real_settings, real_server
):
    with HttpClient(real_settings) as client:
        result = hn_whoishiring.ingest(real_settings, client, since=SINCE_2011)

    # 9 listing pages and one items/<id> per thread: 158 requests for 149 threads.
    assert result.requests == len(real_server.requests) == 9 + 149 <= 200
    assert not [p for p in real_server.requests if p.startswith("/v0/")], "no Firebase call"
    # The 148 threads without a recorded tree answered 404: each is reported by name.
    missing = [e for e in result.errors if "404" in e]
    assert len(missing) == len(result.errors) == 148
    assert any("thread 37351667 (2023-09)" in e for e in missing)
    assert all("nothing of the thread landed, its cursor is unchanged" in e for e in missing)

    records = landed_records(real_settings)
    comments = [r for r in records if r["type"] == "comment"]
    assert {r["thread_id"] for r in records} == {APRIL_2011}, "nothing invented"
    assert len(comments) == 219 == len({r["id"] for r in comments})
    first = next(r for r in comments if r["id"] == 2396109)
    assert (first["by"], first["time"], first["parent"]) == ("jasonlotito", 1301664950, APRIL_2011)
    assert first["text_html"].startswith("<p>Montreal - PHP/MySQL Developer</p>")
    assert first["text"].startswith("Montreal - PHP/MySQL Developer")
    assert first["thread_month"] == "2011-04" and first["status"] == "live"
    assert first["time_precision"] == "second"
    tree = real_server.body(f"/api/v1/items/{APRIL_2011}")
    assert {r["id"]: r["by"] for r in comments} == {c["id"]: c["author"] for c in tree["children"]}
    (size,) = [r for r in records if r["type"] == "story"]
    assert (size["top_level_comments"], size["descendants"]) == (219, 296)
    assert size["observed_at"] == "2023-09-25T04:50:55+00:00", "the recorded Date"
    manifest = result.manifests[0]
    assert manifest.cursor_after == {str(APRIL_2011): max(r["id"] for r in comments)}
    assert manifest.stats["thread_trees"] == {"threads": 1, "comments": 219}


def test_deleted_comments_in_an_algolia_tree_land_as_deleted(real_settings, real_server):
    # The real April 2011 tree has no deleted comment; Algolia shows one with neither
    # author nor text, so that is what this test serves (the real tree, one node blanked).
    tree = real_server.body(f"/api/v1/items/{APRIL_2011}")
    node = tree["children"][5]
    node["author"] = node["text"] = None
    with HttpClient(real_settings) as client:
        result = hn_whoishiring.ingest(
            real_settings, client, since=SINCE_2011, until=datetime(2011, 4, 30, tzinfo=UTC)
        )

    assert result.manifests[0].stats["hidden_comments"] == {"deleted": 1}
    record = next(r for r in landed_records(real_settings) if r["id"] == node["id"])
    assert (record["status"], record["by"], record["text"]) == ("deleted", None, None)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ((503, {"error": "unavailable"}), "503"),
        ((200, {"id": 1, "children": []}), "quarantined: id: items/2396027 answered with id 1"),
        ((200, {"id": APRIL_2011, "children": None}), "quarantined: children"),
    ],
)
def test_a_failing_tree_fails_its_thread_with_no_cursor(real_settings, real_server, answer, reason):
    real_server.responses[(f"/api/v1/items/{APRIL_2011}", "")] = answer
    with HttpClient(real_settings) as client:
        result = hn_whoishiring.ingest(
            real_settings, client, since=SINCE_2011, until=datetime(2011, 4, 30, tzinfo=UTC)
        )

    (error,) = result.errors
    assert f"thread {APRIL_2011} (2011-04)" in error and reason in error
    assert result.manifests == [] and landed_records(real_settings) == []
    assert not [p for p in real_server.requests if p.startswith("/v0/")], "no Firebase fallback"


def test_since_and_until_take_a_month():
    from hiring_signals.cli import _day

    assert _day("2011-04") == SINCE_2011
    assert _day("2011-12", end=True) == datetime(2011, 12, 31, tzinfo=UTC)
    assert _day("2012-02", end=True) == datetime(2012, 2, 29, tzinfo=UTC)
    assert _day("2012-02-10", end=True) == datetime(2012, 2, 10, tzinfo=UTC)


def test_a_tree_node_that_cannot_be_a_comment_of_the_thread_is_quarantined(
    real_settings, real_server
):
    tree = real_server.body(f"/api/v1/items/{APRIL_2011}")
    stray, future = tree["children"][3], tree["children"][4]
    stray["parent_id"] = 1
    future["created_at_i"] = 4_102_444_800  # 2100-01-01
    with HttpClient(real_settings) as client:
        result = hn_whoishiring.ingest(
            real_settings, client, since=SINCE_2011, until=datetime(2011, 4, 30, tzinfo=UTC)
        )

    assert result.skipped["quarantined"] == 2
    assert any(f"comment {stray['id']}" in n and "parent_id" in n for n in result.notices)
    assert any(f"comment {future['id']}" in n and "time" in n for n in result.notices)
    landed = {r["id"] for r in landed_records(real_settings) if r["type"] == "comment"}
    assert len(landed) == 217 and not {stray["id"], future["id"]} & landed
