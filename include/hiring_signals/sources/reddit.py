"""Reddit posts about the ML job market and their top comments (public JSON endpoints).

One batch per configured (subreddit, query) and run; the cursor is the newest post's
``created_utc``. Without credentials the public ``www.reddit.com`` JSON is used; with
``HS_REDDIT_TOKEN`` (an OAuth bearer token, from the environment or an Airflow
connection exported as one) requests go to ``HS_REDDIT_API_BASE`` with it. The token
is sent as a header only and never logged or landed.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import httpx
from pydantic import Field, StrictFloat, StrictStr

from hiring_signals.http import BadResponseError, HttpClient
from hiring_signals.landing import quarantine_fetched, read_manifests, record_problem, write_batch
from hiring_signals.settings import Settings
from hiring_signals.sources.base import (
    IngestResult,
    implausible_date,
    ingest_each,
    record_fetch_failure,
)
from hiring_signals.sources.config import RedditQuery, load_social
from hiring_signals.sources.registry import LandedRecord, Progress, Source

SOURCE = "reddit"
METHOD = "reddit_json"
TOP_COMMENTS = 5
MAX_PAGES = 5
TOKEN_ENV = "HS_REDDIT_TOKEN"


def auth_headers() -> dict[str, str]:
    token = os.environ.get(TOKEN_ENV)
    return {"Authorization": f"Bearer {token}"} if token else {}


def _children(listing: Any, url: str) -> list[dict[str, Any]]:
    try:
        return [c for c in listing["data"]["children"] if isinstance(c, dict)]
    except (KeyError, TypeError):
        raise BadResponseError(
            url, "expected a Listing with data.children", str(listing)[:2000]
        ) from None


def ingest_query(settings: Settings, client: HttpClient, query: RedditQuery) -> IngestResult:
    result = IngestResult(SOURCE)
    landed = [m for m in read_manifests(settings.landing_dir, SOURCE) if m.scope == query.key]
    cursor = max((float(m.cursor_after.get("created_utc", 0)) for m in landed), default=0.0)
    base = f"{settings.reddit_api_base}/r/{query.subreddit}"
    url = f"{base}/search.json"
    records: list[dict[str, Any]] = []
    try:
        after = None
        for _ in range(MAX_PAGES):
            params = {
                "q": query.query,
                "restrict_sr": "on",
                "sort": "new",
                "limit": 100,
                "t": "all",
            } | ({"after": after} if after else {})
            listing = client.get_json(url, params=params)
            posts = [c["data"] for c in _children(listing, url) if c.get("kind") == "t3"]
            usable = []
            for post in posts:
                problem = _post_problem(post, "post", query)
                if problem:
                    quarantine_fetched(settings.quarantine_dir, SOURCE, url, *problem, post)
                    post_id = post.get("id") if isinstance(post, dict) else None
                    result.notices.append(
                        f"{SOURCE} r/{query.subreddit}: post {post_id!r} quarantined: "
                        f"{problem[0]}: {problem[1]}"
                    )
                else:
                    usable.append(post)
            new = [p for p in usable if float(p.get("created_utc") or 0) > cursor]
            for post in new:
                records.append(_record(post, "post", query))
                records += _top_comments(client, base, post, query)
            after = listing["data"].get("after")
            if not after or len(new) < len(posts):
                break  # sorted by new: older posts were landed before
    except (httpx.HTTPError, BadResponseError) as exc:
        label = f"{SOURCE} r/{query.subreddit} '{query.query}'"
        return record_fetch_failure(result, settings.quarantine_dir, label, exc)
    newest = max((r["created_utc"] for r in records if r["_kind"] == "post"), default=cursor)
    manifest = write_batch(
        settings.landing_dir,
        SOURCE,
        records,
        urls=[url],
        method=METHOD,
        scope=query.key,
        cursor_before={"created_utc": cursor},
        cursor_after={"created_utc": newest},
    )
    if manifest:
        result.manifests.append(manifest)
    return result


def _post_problem(post: Any, kind: str, query: RedditQuery) -> tuple[str, str] | None:
    """(field, reason) when a listed post or comment cannot be landed."""
    if not isinstance(post, dict):
        return "<post>", f"expected a post object, got {type(post).__name__}"
    problem = record_problem(RedditRecord, _record(post, kind, query, as_float=False))
    if problem:
        return problem
    reason = implausible_date(post["created_utc"])
    return ("created_utc", reason) if reason else None


def _record(
    data: dict[str, Any], kind: str, query: RedditQuery, as_float: bool = True
) -> dict[str, Any]:
    record = {**data, "_kind": kind, "_topic": query.topic, "_query": query.query}
    if as_float:
        record["created_utc"] = float(record["created_utc"])
    return record


def _top_comments(
    client: HttpClient, base: str, post: dict[str, Any], query: RedditQuery
) -> list[dict[str, Any]]:
    url = f"{base}/comments/{post['id']}.json"
    thread = client.get_json(url, params={"sort": "top", "limit": TOP_COMMENTS, "depth": 1})
    if not isinstance(thread, list) or len(thread) < 2:
        raise BadResponseError(url, "expected [post listing, comment listing]", str(thread))
    comments = [c["data"] for c in _children(thread[1], url) if c.get("kind") == "t1"]
    return [
        _record(c, "comment", query)
        for c in comments[:TOP_COMMENTS]
        if _post_problem(c, "comment", query) is None
    ]


class RedditRecord(LandedRecord):
    """A landed line: a post (``_kind`` post) or one of its top comments (``comment``)."""

    id: StrictStr
    subreddit: str | None = None
    title: str | None = None
    selftext: str | None = None
    body: str | None = None
    author: str | None = None
    score: int | None = None
    num_comments: int | None = None
    created_utc: StrictFloat
    permalink: str | None = None
    link_id: str | None = None
    kind: str | None = Field(None, alias="_kind")
    topic: StrictStr = Field(alias="_topic")
    query: str | None = Field(None, alias="_query")


def _ingest(
    settings: Settings, progress: Progress | None, since: datetime | None, until: datetime | None
) -> IngestResult:
    queries = load_social(settings.social_file).reddit
    with HttpClient(settings, headers=auth_headers()) as client:
        return ingest_each(
            SOURCE,
            queries,
            lambda query: ingest_query(settings, client, query),
            lambda query: query.key,
            progress,
        )


SOURCES = (Source(SOURCE, RedditRecord, _ingest, dag="social"),)
