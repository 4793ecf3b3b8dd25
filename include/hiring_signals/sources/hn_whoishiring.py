"""HN "Ask HN: Who is hiring?" monthly threads: discover, fetch new top-level comments.

Threads are discovered through the Algolia search API (stories by ``whoishiring``);
comments come from the HN Firebase item API. The cursor per thread is the highest
comment id already landed (HN ids only grow), so a daily run fetches only new comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hiring_signals.http import BadResponseError, HttpClient
from hiring_signals.landing import Manifest, quarantine_fetched, read_manifests, write_batch
from hiring_signals.settings import Settings
from hiring_signals.sources.base import IngestResult, implausible_date
from hiring_signals.sources.html_text import html_to_text

SOURCE = "hn_whoishiring"
METHOD = "thread_comments"
REQUIRED_FIELDS: dict[str, type] = {"id": int, "time": int, "thread_id": int}
MAX_DISCOVERY_PAGES = 5
TITLE_RE = re.compile(r"^Ask HN: Who is hiring\? \((?P<month>[A-Za-z]+) (?P<year>\d{4})\)$")


@dataclass(frozen=True)
class Thread:
    id: int
    title: str
    month: str  # YYYY-MM


def thread_month(title: str) -> str | None:
    """``"2026-01"`` for "Ask HN: Who is hiring? (January 2026)", ``None`` otherwise."""
    match = TITLE_RE.match(title.strip())
    if not match:
        return None
    try:
        parsed = datetime.strptime(f"{match['month']} {match['year']}", "%B %Y")
    except ValueError:
        return None
    return f"{parsed:%Y-%m}"


def discover_threads(
    client: HttpClient,
    settings: Settings,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Thread]:
    """Monthly hiring threads, newest first: the newest ``max_threads``, or for a
    backfill every thread whose month lies in [since, until]."""
    threads = []
    for page in range(MAX_DISCOVERY_PAGES):
        payload = client.get_json(
            f"{settings.algolia_api_base}/search_by_date",
            params={"tags": "story,author_whoishiring", "hitsPerPage": 100, "page": page},
        )
        for hit in payload.get("hits", []):
            month = thread_month(hit.get("title") or "")
            if month and hit.get("author") == "whoishiring":
                threads.append(Thread(int(hit["objectID"]), hit["title"], month))
        oldest = min((t.month for t in threads), default="")
        if since is None or oldest <= f"{since:%Y-%m}" or page + 1 >= payload.get("nbPages", 1):
            break
    threads.sort(key=lambda t: t.month, reverse=True)
    if since is None and until is None:
        return threads[: settings.max_threads]
    low, high = f"{since:%Y-%m}" if since else "", f"{until:%Y-%m}" if until else "9999"
    return [t for t in threads if low <= t.month <= high]


def current_cursor(manifests: list[Manifest]) -> dict[str, int]:
    """Highest landed comment id per thread, merged over every committed batch."""
    cursor: dict[str, int] = {}
    for manifest in manifests:
        for thread_id, last_id in manifest.cursor_after.items():
            cursor[thread_id] = max(cursor.get(thread_id, 0), int(last_id))
    return cursor


def _item_problem(item: Any, requested_id: int) -> tuple[str, str] | None:
    """(field, reason) when an item answer cannot be a comment we asked for.

    A missing or mistyped id is left to the landing check, which names the line.
    """
    if item is None:
        return None
    if not isinstance(item, dict):
        return "<response>", f"expected an item object, got {type(item).__name__}"
    item_id = item.get("id")
    if isinstance(item_id, int) and not isinstance(item_id, bool) and item_id != requested_id:
        return "id", f"item {requested_id} answered with id {item_id} (duplicate id)"
    if not isinstance(item.get("text"), str | None):
        return "text", f"expected HTML text, got {type(item['text']).__name__}"
    reason = implausible_date(item.get("time")) if isinstance(item.get("time"), int) else None
    if reason:
        return "time", reason
    return None


def to_record(item: dict[str, Any], thread: Thread) -> dict[str, Any]:
    """Landing record: the API item as received plus its thread and the decoded text."""
    text = item.get("text")
    return {
        "id": item.get("id"),
        "by": item.get("by"),
        "time": item.get("time"),
        "text_html": text if isinstance(text, str) else None,
        "text": html_to_text(text) if isinstance(text, str) else None,
        "parent": item.get("parent"),
        "thread_id": thread.id,
        "thread_title": thread.title,
        "thread_month": thread.month,
    }


def ingest(
    settings: Settings,
    client: HttpClient,
    progress: Callable[[str, int, int], None] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> IngestResult:
    """Land every new top-level comment of the newest threads (or of the threads of a
    backfill range) as one batch."""
    manifests = read_manifests(settings.landing_dir, SOURCE)
    cursor_before = current_cursor(manifests)
    cursor_after = dict(cursor_before)
    records: list[dict[str, Any]] = []
    urls: list[str] = []
    skipped = {"deleted": 0, "dead": 0, "missing": 0, "quarantined": 0}
    errors: list[str] = []
    notices: list[str] = []
    for thread in discover_threads(client, settings, since, until):
        thread_url = f"{settings.hn_api_base}/item/{thread.id}.json"
        story = client.get_json(thread_url)
        urls.append(thread_url)
        last = cursor_before.get(str(thread.id), 0)
        new_ids = sorted(kid for kid in (story or {}).get("kids", []) if kid > last)
        for done, kid in enumerate(new_ids, start=1):
            item_url = f"{settings.hn_api_base}/item/{kid}.json"
            try:
                item = client.get_json(item_url)
            except BadResponseError as exc:  # this comment's body is broken for good
                quarantine_fetched(
                    settings.quarantine_dir, SOURCE, exc.url, "<response>", exc.reason, exc.body
                )
                notices.append(f"{SOURCE}: comment {kid} quarantined: <response>: {exc.reason}")
                skipped["quarantined"] += 1
                cursor_after[str(thread.id)] = kid
                continue
            except Exception as exc:  # stop the thread here; the cursor keeps the rest
                errors.append(f"{SOURCE}: thread {thread.id} comment {kid}: {exc}")
                break
            problem = _item_problem(item, kid)
            if item is None:
                skipped["missing"] += 1
            elif problem:
                quarantine_fetched(settings.quarantine_dir, SOURCE, item_url, *problem, item)
                notices.append(f"{SOURCE}: comment {kid} quarantined: {problem[0]}: {problem[1]}")
                skipped["quarantined"] += 1
            elif item.get("deleted"):
                skipped["deleted"] += 1
            elif item.get("dead"):
                skipped["dead"] += 1
            else:
                records.append(to_record(item, thread))
            cursor_after[str(thread.id)] = kid
            if progress:
                progress(thread.month, done, len(new_ids))
    if records:
        urls.append(f"{settings.hn_api_base}/item/<id>.json for {len(records)} comments")
    manifest = write_batch(
        settings.landing_dir,
        SOURCE,
        records,
        urls=urls,
        cursor_before=cursor_before,
        cursor_after=cursor_after,
        method=METHOD,
        stats={"skipped": skipped, "requests": client.requests},
    )
    return IngestResult(
        SOURCE, [manifest] if manifest else [], client.requests, skipped, errors, notices
    )
