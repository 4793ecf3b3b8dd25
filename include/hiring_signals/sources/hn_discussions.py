"""HN stories and comments about the ML job market, through HN Algolia ``search_by_date``.

One batch per configured query and run; the cursor per query is the newest
``created_at_i`` landed. Results come newest first, so a daily run reads pages until it
reaches items at or below the cursor. A backfill asks Algolia for an explicit time range
(``numericFilters``) instead and leaves the cursor where it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from pydantic import Field, StrictInt, StrictStr

from hiring_signals.http import BadResponseError, HttpClient
from hiring_signals.landing import quarantine_fetched, read_manifests, record_problem, write_batch
from hiring_signals.settings import Settings
from hiring_signals.sources.base import (
    IngestResult,
    implausible_date,
    ingest_each,
    record_fetch_failure,
)
from hiring_signals.sources.config import HnQuery, load_social
from hiring_signals.sources.registry import LandedRecord, Progress, Source

SOURCE = "hn_discussions"
METHOD = "algolia_search"
MAX_PAGES = 10


def ingest_query(
    settings: Settings,
    client: HttpClient,
    query: HnQuery,
    since: datetime | None = None,
    until: datetime | None = None,
) -> IngestResult:
    result = IngestResult(SOURCE)
    landed = [m for m in read_manifests(settings.landing_dir, SOURCE) if m.scope == query.query]
    cursor = max((int(m.cursor_after.get("created_at_i", 0)) for m in landed), default=0)
    params: dict[str, Any] = {"query": query.query, "tags": "(story,comment)", "hitsPerPage": 100}
    if since or until:
        bounds = [f"created_at_i>{int(since.timestamp())}"] if since else []
        bounds += [f"created_at_i<{int(until.timestamp())}"] if until else []
        params["numericFilters"] = ",".join(bounds)
    url = f"{settings.algolia_api_base}/search_by_date"
    records: list[dict[str, Any]] = []
    try:
        for page in range(MAX_PAGES):
            payload = client.get_json(url, params=params | {"page": page})
            if not isinstance(payload, dict) or not isinstance(payload.get("hits"), list):
                raise BadResponseError(url, "expected an object with a 'hits' list", str(payload))
            for hit in payload["hits"]:
                record = {**hit, "_topic": query.topic, "_query": query.query}
                problem = record_problem(HnDiscussionRecord, record)
                reason = None if problem else implausible_date(hit["created_at_i"])
                problem = problem or (("created_at_i", reason) if reason else None)
                if problem:
                    quarantine_fetched(settings.quarantine_dir, SOURCE, url, *problem, hit)
                    continue
                if since or hit["created_at_i"] > cursor:
                    records.append(record)
            reached_cursor = any(h.get("created_at_i", 0) <= cursor for h in payload["hits"])
            if page + 1 >= int(payload.get("nbPages", 1)) or (reached_cursor and not since):
                break
    except (httpx.HTTPError, BadResponseError) as exc:
        return record_fetch_failure(
            result, settings.quarantine_dir, f"{SOURCE} '{query.query}'", exc
        )
    newest = max((r["created_at_i"] for r in records), default=cursor)
    manifest = write_batch(
        settings.landing_dir,
        SOURCE,
        records,
        urls=[url],
        method=METHOD,
        scope=query.query,
        cursor_before={"created_at_i": cursor},
        cursor_after={"created_at_i": cursor if since or until else max(cursor, newest)},
    )
    if manifest:
        result.manifests.append(manifest)
    return result


class HnDiscussionRecord(LandedRecord):
    """A landed line: an Algolia hit (story or comment) and the query that found it."""

    objectID: StrictStr
    created_at_i: StrictInt
    author: str | None = None
    title: str | None = None
    story_title: str | None = None
    story_text: str | None = None
    comment_text: str | None = None
    points: int | None = None
    num_comments: int | None = None
    url: str | None = None
    tags: list[str] | None = Field(None, alias="_tags")
    topic: StrictStr = Field(alias="_topic")
    query: str | None = Field(None, alias="_query")


def _ingest(
    settings: Settings, progress: Progress | None, since: datetime | None, until: datetime | None
) -> IngestResult:
    queries = load_social(settings.social_file).hn_queries
    with HttpClient(settings) as client:
        return ingest_each(
            SOURCE,
            queries,
            lambda query: ingest_query(settings, client, query, since, until),
            lambda query: query.query,
            progress,
        )


SOURCES = (Source(SOURCE, HnDiscussionRecord, _ingest, dag="social", backfill=True),)
