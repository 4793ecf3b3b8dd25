"""HN "Ask HN: Who is hiring?" monthly threads: discover, fetch new top-level comments.

Discovery pages through Algolia ``search_by_date`` with the parameters of the real
recorded requests (``query=hiring``, ``tags=story,(author__whoishiring,
author_whoishiring)``, 20 hits a page) from page 0 until the empty page that ends the
listing (the recording's page 8 of ``nbPages`` 8). A daily run stops as soon as it has
its ``max_threads`` newest threads, a backfill once it has passed ``since``; a listing
that has not ended after ``MAX_DISCOVERY_PAGES`` pages, or that answers another page
than the one asked for, stops the run with an error naming it.

A thread seen for the first time (no landed cursor) comes whole from **one** Algolia
``items/<id>`` request: its direct ``children`` are the top-level comments (``id``,
``author``, ``created_at_i``, ``text``, ``parent_id`` map onto the item fields ``id``,
``by``, ``time``, ``text``, ``parent``; a child with neither author nor text is a
deleted comment), and the tree gives the thread's size. A full backfill therefore costs
one request per thread plus the listing's pages. When ``items/<id>`` fails (an HTTP
error such as a 404, a transport error after the retries, a body that is not the
thread's tree) that thread fails with an error naming it: nothing of it lands, its
cursor stays unset and the next run asks again. A backfill never falls back to the
Firebase API, which would cost a request per comment (a backfill of every thread stays
at one request a thread) and hide that Algolia failed. A daily run (no ``since`` /
``until``: at most ``max_threads`` threads) whose thread Algolia answers 404 for (its
index can lag a new story) reads that thread from the Firebase API instead, with a
notice naming it; any other failure fails the thread there too.

Threads already landed are read from the HN Firebase item API: the thread item's
``kids`` give the incremental tail (top-level comments above the cursor, one
``item/<id>`` request each) and the re-checks below. The cursor per thread is the
highest comment id already landed (HN ids only grow), so a daily run fetches only new
comments.
Dead and deleted comments land too, with their status and without text, and a thread's
size (its top-level comments, ``kids``) lands as a ``story`` record whenever it changed:
it is the denominator of the month's completeness.

Edits and removals: a thread at most ``HS_HN_RECHECK_DAYS`` old (default 31; its age is
the thread answer's ``Date``, else now, minus the story's ``time``) is re-read whole
every run. A comment lands again only when its text, status or author changed since its
last landed version, and a landed comment no longer among the thread's ``kids`` lands a
tombstone (``status: "removed"``, no text, its original author and time). Versions are
ordered by batch: the latest landed record of a comment id is its current state.

The last landed version is known from the manifests, not the batch files: each batch of a
re-checked thread records, in ``stats.comment_versions``, ``{thread id: {comment id:
"<hash>:<time>:<by>"}}`` for the comments it landed (``hash`` is 12 hex digits of the
sha256 of text, status and author, or ``removed`` for a tombstone). Merged oldest first
that is the state of every comment of the window's threads, so a run reads no batch and
the state stays bounded by the threads in the window. A thread first landed from
Algolia inside the window records this state and its answer's ``Date`` as a re-check
does. Comments landed before this state
existed have none: their first re-check lands them once more (an identical version) and
only then can they be tombstoned. Older threads keep the cursor alone (ids above the
highest landed one), so a rerun over unchanged data lands nothing. A thread answer dated
like the one last re-checked (``stats.rechecked_at``; a replayed capture keeps its
``Date``) is the same observation and is not re-read again.

A thread answer that is not JSON (a 0-byte body, say) is quarantined with the thread
named; none of that thread's comments is touched and its cursor and state stay as they
were.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import StrictInt

from hiring_signals.http import BadResponseError, HttpClient, header_time
from hiring_signals.landing import (
    Manifest,
    quarantine_fetched,
    read_manifests,
    utc_now,
    write_batch,
)
from hiring_signals.settings import Settings
from hiring_signals.sources.base import IngestResult, implausible_date
from hiring_signals.sources.html_text import html_to_text
from hiring_signals.sources.registry import LandedRecord, Progress, Source

SOURCE = "hn_whoishiring"
METHOD = "thread_comments"
# The parameters of the real recorded discovery requests (hits per page: Algolia's 20).
DISCOVERY_PARAMS = {"query": "hiring", "tags": "story,(author__whoishiring, author_whoishiring)"}
AUTHORS = {"whoishiring", "_whoishiring"}  # April and May 2015 came from _whoishiring
# Safety bound: about 10 pages list every story since 2011; Algolia serves 1,000 hits
# (50 pages of 20) of one query at most, so a listing still going at 60 is broken.
MAX_DISCOVERY_PAGES = 60
VERSIONS = "comment_versions"  # manifest stats key of the re-check state
REMOVED = "removed"
# 2011-2012 titles say "Who is Hiring?" and "Who Is Hiring?".
TITLE_RE = re.compile(r"^Ask HN: Who [Ii]s [Hh]iring\? \((?P<month>[A-Za-z]+) (?P<year>\d{4})\)$")


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


class DiscoveryError(RuntimeError):
    """The Algolia listing cannot be trusted to be complete."""


def discover_threads(
    client: HttpClient,
    settings: Settings,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Thread]:
    """Monthly hiring threads, newest first: the newest ``max_threads`` (all when 0), or
    for a backfill every thread whose month lies in [since, until].

    Pages are read from 0 until the listing's empty page, or until the threads wanted
    are known: the newest ``max_threads`` of a daily run, or a thread older than
    ``since`` for a backfill (the listing is newest first)."""
    url = f"{settings.algolia_api_base}/search_by_date"
    found: dict[int, Thread] = {}
    wanted = settings.max_threads if since is None and until is None else 0
    for page in range(MAX_DISCOVERY_PAGES):
        payload = client.get_json(url, params={**DISCOVERY_PARAMS, "page": page})
        if not isinstance(payload, dict) or not isinstance(payload.get("hits"), list):
            raise DiscoveryError(f"{url} page {page}: not an Algolia listing (no hits list)")
        if payload.get("page", page) != page:
            raise DiscoveryError(f"{url}: asked for page {page}, got page {payload.get('page')!r}")
        if not payload["hits"]:
            break  # the empty page: the listing has ended
        for hit in payload["hits"]:
            month = thread_month(hit.get("title") or "")
            if month and hit.get("author") in AUTHORS and str(hit.get("objectID", "")).isdigit():
                thread = Thread(int(hit["objectID"]), hit["title"], month)
                found.setdefault(thread.id, thread)
        months = [t.month for t in found.values()]
        if wanted and len(found) >= wanted:
            break
        if since is not None and months and min(months) < f"{since:%Y-%m}":
            break
    else:
        raise DiscoveryError(
            f"{url}: no empty page after {MAX_DISCOVERY_PAGES} pages "
            f"({len(found)} threads so far); the listing does not end"
        )
    threads = sorted(found.values(), key=lambda t: t.month, reverse=True)
    if since is None and until is None:
        return threads[: settings.max_threads] if settings.max_threads else threads
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


def algolia_item(node: dict[str, Any]) -> dict[str, Any]:
    """The item fields of one Algolia tree node (``id``, ``author`` -> ``by``,
    ``created_at_i`` -> ``time``, ``text``, ``parent_id`` -> ``parent``). Algolia shows a
    deleted comment with neither author nor text. A node that carries ``deleted``,
    ``dead``, ``dead_reason`` or ``time_precision`` (the reconstructed trees keep what
    the page capture showed, e.g. a dead comment shown without author) keeps them, and
    its own flags decide its status."""
    item = {
        "id": node.get("id"),
        "by": node.get("author"),
        "time": node.get("created_at_i"),
        "text": node.get("text"),
        "parent": node.get("parent_id"),
        "type": "comment",
    }
    item |= {k: node[k] for k in ("deleted", "dead", "dead_reason", "time_precision") if k in node}
    if item["by"] is None and item["text"] is None and not {"deleted", "dead"} & item.keys():
        item["deleted"] = True
    return item


def _is_not_found(exc: Exception) -> bool:
    return isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code == 404


def tree_problem(tree: Any, thread_id: int) -> tuple[str, str] | None:
    """(field, reason) when an ``items/<id>`` answer is not the tree of thread
    ``thread_id``."""
    if not isinstance(tree, dict):
        return "<response>", f"expected an item tree, got {type(tree).__name__}"
    if tree.get("id") != thread_id:
        return "id", f"items/{thread_id} answered with id {tree.get('id')!r}"
    if not isinstance(tree.get("children"), list):
        return "children", f"expected a list, got {type(tree.get('children')).__name__}"
    if not all(isinstance(node, dict) for node in tree["children"]):
        return "children", "expected item objects"
    return None


def tree_size(tree: dict[str, Any]) -> int | None:
    """Comments of all depths in an Algolia tree. A tree that states ``descendants``
    (a reconstructed one, whose replies are not bundled; ``None``: not known) is taken
    at its word."""
    if "descendants" in tree:
        return tree["descendants"] if isinstance(tree["descendants"], int) else None
    stack, count = list(tree.get("children") or []), 0
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            count += 1
            stack.extend(node.get("children") or [])
    return count


def comment_status(item: dict[str, Any]) -> str:
    """``live``, ``deleted`` or ``dead``; a dead comment reconstructed from a page keeps
    the reason the page showed (``flagged``, ``dupe``)."""
    if item.get("deleted"):
        return "deleted"
    if item.get("dead"):
        return str(item.get("dead_reason") or "dead")
    return "live"


def to_record(item: dict[str, Any], thread: Thread) -> dict[str, Any]:
    """Landing record: the API item as received plus its thread and the decoded text.
    ``time_precision`` is ``second`` for the API; items reconstructed from old pages,
    which show only relative ages, carry a coarser one."""
    text = item.get("text")
    return {
        "id": item.get("id"),
        "type": "comment",
        "status": comment_status(item),
        "by": item.get("by"),
        "time": item.get("time"),
        "time_precision": item.get("time_precision", "second"),
        "text_html": text if isinstance(text, str) else None,
        "text": html_to_text(text) if isinstance(text, str) else None,
        "parent": item.get("parent"),
        "thread_id": thread.id,
        "thread_title": thread.title,
        "thread_month": thread.month,
    }


def thread_record(story: dict[str, Any], thread: Thread, observed_at: str) -> dict[str, Any]:
    """Landing record of a thread's size as the API reported it at ``observed_at``."""
    return {
        "id": thread.id,
        "type": "story",
        "by": story.get("by"),
        "time": story.get("time"),
        "top_level_comments": len(story.get("kids") or []),
        "descendants": story.get("descendants"),
        "observed_at": observed_at,
        "thread_id": thread.id,
        "thread_title": thread.title,
        "thread_month": thread.month,
    }


def _observed_at(date_header: str | None) -> str:
    """When the thread answer was true: the server's ``Date`` (a replayed capture keeps
    its capture time), else now."""
    return (header_time(date_header) or utc_now()).astimezone(UTC).isoformat()


def thread_age_days(story: dict[str, Any], observed_at: str) -> float | None:
    """Days from the thread's ``time`` to when its answer was true; ``None`` unknown."""
    posted = story.get("time")
    if not isinstance(posted, int) or isinstance(posted, bool):
        return None
    try:  # a hostile time (far outside the calendar) means unknown, not a crash
        posted_at = datetime.fromtimestamp(posted, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return (datetime.fromisoformat(observed_at) - posted_at).total_seconds() / 86400


def version_state(record: dict[str, Any], digest: str | None = None) -> str:
    """``"<hash>:<time>:<by>"`` of a landed comment record; ``digest`` overrides the
    hash (``removed`` for a tombstone)."""
    if digest is None:
        content = json.dumps(
            [record["text_html"], record["status"], record["by"]], ensure_ascii=False
        )
        digest = hashlib.sha256(content.encode()).hexdigest()[:12]
    return f"{digest}:{record['time']}:{record['by'] or ''}"


def landed_versions(manifests: list[Manifest], thread_ids: set[str]) -> dict[str, dict[str, str]]:
    """The last landed version state per comment of ``thread_ids`` (oldest batch first,
    so a later version replaces an earlier one)."""
    versions: dict[str, dict[str, str]] = {thread_id: {} for thread_id in thread_ids}
    for manifest in manifests:
        for thread_id, comments in manifest.stats.get(VERSIONS, {}).items():
            if thread_id in versions:
                versions[thread_id].update(comments)
    return versions


def tombstone(comment_id: int, state: str, thread: Thread) -> dict[str, Any]:
    """The record of a landed comment that left the thread: ``to_record``'s fields, no
    text, the author and time of its last landed version."""
    _, posted, by = state.split(":", 2)
    time = int(posted) if posted.isdigit() else None
    item = {"id": comment_id, "by": by or None, "time": time, "parent": thread.id}
    return to_record(item, thread) | {"status": REMOVED}


def last_rechecked(manifests: list[Manifest]) -> dict[str, str]:
    """When each thread's answer was true at its last complete re-check."""
    checked: dict[str, str] = {}
    for manifest in manifests:
        checked.update(manifest.stats.get("rechecked_at", {}))
    return checked


def landed_thread_sizes(manifests: list[Manifest]) -> dict[str, int]:
    """Top-level comments per thread as last landed (manifests are oldest first)."""
    sizes: dict[str, int] = {}
    for manifest in manifests:
        sizes.update(manifest.stats.get("thread_sizes", {}))
    return sizes


def ingest(
    settings: Settings,
    client: HttpClient,
    progress: Callable[[str, int, int], None] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> IngestResult:
    """Land every new top-level comment of the newest threads (or of the threads of a
    backfill range) as one batch; for threads in the re-check window also every changed
    comment and a tombstone for every removed one."""
    manifests = read_manifests(settings.landing_dir, SOURCE)
    cursor_before = current_cursor(manifests)
    cursor_after = dict(cursor_before)
    sizes_before = landed_thread_sizes(manifests)
    checked_before = last_rechecked(manifests)
    rechecked_at: dict[str, str] = {}
    thread_sizes: dict[str, int] = {}
    records: list[dict[str, Any]] = []
    urls: list[str] = []
    skipped = {"missing": 0, "quarantined": 0}
    landed_hidden: Counter[str] = Counter()
    versions_after: dict[str, dict[str, str]] = {}
    rechecked: dict[str, dict[str, int]] = {}
    errors: list[str] = []
    notices: list[str] = []
    threads = discover_threads(client, settings, since, until)
    versions_before: dict[str, dict[str, str]] | None = None
    trees = tree_comments = 0
    daily = since is None and until is None
    for thread in threads:
        if str(thread.id) not in cursor_before:  # first seen: the whole tree, one request
            tree_url = f"{settings.algolia_api_base}/items/{thread.id}"
            urls.append(tree_url)
            failed = f"{SOURCE}: thread {thread.id} ({thread.month}) {tree_url}"
            unchanged = "nothing of the thread landed, its cursor is unchanged"
            try:
                answer = client.get(tree_url)
            except BadResponseError as exc:
                quarantine_fetched(
                    settings.quarantine_dir, SOURCE, exc.url, "<response>", exc.reason, exc.body
                )
                errors.append(f"{failed}: quarantined: {exc.reason}; {unchanged}")
                skipped["quarantined"] += 1
                continue
            except Exception as exc:  # 404 (no such tree, nothing recorded), 5xx, transport
                if not (daily and _is_not_found(exc)):
                    errors.append(f"{failed}: {exc}; {unchanged}")
                    continue
                notices.append(f"{failed}: no Algolia tree (HTTP 404); read from the Firebase API")
                answer = None
            if answer is not None:
                tree = answer.data
                problem = tree_problem(tree, thread.id)
                if problem:
                    quarantine_fetched(settings.quarantine_dir, SOURCE, tree_url, *problem, tree)
                    errors.append(f"{failed}: quarantined: {problem[0]}: {problem[1]}; {unchanged}")
                    skipped["quarantined"] += 1
                    continue
                trees += 1
                observed_at = _observed_at(answer.date)
                children = sorted(
                    tree["children"],
                    key=lambda n: n.get("id") if isinstance(n.get("id"), int) else 0,
                )
                story = {
                    "by": tree.get("author"),
                    "time": tree.get("created_at_i"),
                    "kids": [node.get("id") for node in children],
                    "descendants": tree_size(tree),
                }
                if sizes_before.get(str(thread.id)) != len(children):
                    records.append(thread_record(story, thread, observed_at))
                    thread_sizes[str(thread.id)] = len(children)
                age = thread_age_days(story, observed_at)
                in_window = age is not None and age <= settings.hn_recheck_days
                landed_now = {}
                for done, node in enumerate(children, start=1):
                    item = algolia_item(node)
                    problem = _item_problem(item, item["id"]) or (
                        ("parent_id", f"expected {thread.id}, got {item['parent']!r}")
                        if item["parent"] != thread.id
                        else None
                    )
                    if problem:
                        quarantine_fetched(
                            settings.quarantine_dir, SOURCE, tree_url, *problem, node
                        )
                        notices.append(
                            f"{SOURCE}: comment {item['id']} of {tree_url} quarantined: "
                            f"{problem[0]}: {problem[1]}"
                        )
                        skipped["quarantined"] += 1
                        continue
                    record = to_record(item, thread)
                    records.append(record)
                    tree_comments += 1
                    if item.get("deleted") or item.get("dead"):
                        landed_hidden[comment_status(item)] += 1
                    if in_window:
                        landed_now[str(item["id"])] = version_state(record)
                    if isinstance(item["id"], int):
                        cursor_after[str(thread.id)] = max(
                            cursor_after.get(str(thread.id), 0), item["id"]
                        )
                    if progress:
                        progress(thread.month, done, len(children))
                cursor_after.setdefault(str(thread.id), 0)  # landed, even if still empty
                if in_window:
                    rechecked[str(thread.id)] = {"new": len(landed_now), "changed": 0, REMOVED: 0}
                    rechecked_at[str(thread.id)] = observed_at
                    if landed_now:
                        versions_after[str(thread.id)] = landed_now
                continue
        thread_url = f"{settings.hn_api_base}/item/{thread.id}.json"
        urls.append(thread_url)
        try:
            answer = client.get(thread_url)
        except BadResponseError as exc:  # e.g. a 0-byte body: nothing of the thread is known
            reason = f"thread {thread.id} ({thread.month}): {exc.reason}"
            quarantine_fetched(
                settings.quarantine_dir, SOURCE, exc.url, "<response>", reason, exc.body
            )
            notices.append(
                f"{SOURCE}: thread {thread.id} quarantined: <response>: {exc.reason}; "
                "its landed comments, cursor and versions are left as they were"
            )
            skipped["quarantined"] += 1
            continue
        story = answer.data
        observed_at = _observed_at(answer.date)
        last = cursor_before.get(str(thread.id), 0)
        kids = set((story or {}).get("kids", []))
        age = thread_age_days(story, observed_at) if isinstance(story, dict) else None
        recheck = (
            age is not None
            and age <= settings.hn_recheck_days
            and checked_before.get(str(thread.id)) != observed_at
        )
        complete = True
        if recheck and versions_before is None:  # read once, for the window's threads
            versions_before = landed_versions(manifests, {str(t.id) for t in threads})
        known = (versions_before or {}).get(str(thread.id), {})
        landed_now: dict[str, str] = {}
        counts = Counter[str]()
        fetch_ids = sorted(kids) if recheck else sorted(kid for kid in kids if kid > last)
        if isinstance(story, dict):
            size = len(story.get("kids") or [])
            if sizes_before.get(str(thread.id)) != size:
                records.append(thread_record(story, thread, observed_at))
                thread_sizes[str(thread.id)] = size
        for done, kid in enumerate(fetch_ids, start=1):
            item_url = f"{settings.hn_api_base}/item/{kid}.json"
            try:
                item = client.get_json(item_url)
            except BadResponseError as exc:  # this comment's body is broken for good
                quarantine_fetched(
                    settings.quarantine_dir, SOURCE, exc.url, "<response>", exc.reason, exc.body
                )
                notices.append(f"{SOURCE}: comment {kid} quarantined: <response>: {exc.reason}")
                skipped["quarantined"] += 1
                cursor_after[str(thread.id)] = max(cursor_after.get(str(thread.id), 0), kid)
                continue
            except Exception as exc:  # stop the thread here; the cursor keeps the rest
                errors.append(f"{SOURCE}: thread {thread.id} comment {kid}: {exc}")
                complete = False
                break
            problem = _item_problem(item, kid)
            if item is None:
                skipped["missing"] += 1
            elif problem:
                quarantine_fetched(settings.quarantine_dir, SOURCE, item_url, *problem, item)
                notices.append(f"{SOURCE}: comment {kid} quarantined: {problem[0]}: {problem[1]}")
                skipped["quarantined"] += 1
            else:
                record = to_record(item, thread)
                state = version_state(record)
                before = known.get(str(kid))
                if not recheck or before is None or before.split(":")[0] != state.split(":")[0]:
                    records.append(record)
                    if item.get("deleted") or item.get("dead"):
                        landed_hidden[comment_status(item)] += 1
                    if recheck:
                        landed_now[str(kid)] = state
                        counts["new" if before is None else "changed"] += 1
            cursor_after[str(thread.id)] = max(cursor_after.get(str(thread.id), 0), kid)
            if progress:
                progress(thread.month, done, len(fetch_ids))
        if recheck:
            for comment_id, state in sorted(known.items()):
                if int(comment_id) not in kids and not state.startswith(f"{REMOVED}:"):
                    gone = tombstone(int(comment_id), state, thread)
                    records.append(gone)
                    landed_now[comment_id] = version_state(gone, REMOVED)
                    counts[REMOVED] += 1
            rechecked[str(thread.id)] = {k: counts[k] for k in ("new", "changed", REMOVED)}
            if complete:
                rechecked_at[str(thread.id)] = observed_at
            if landed_now:
                versions_after[str(thread.id)] = landed_now
    comments = sum(record["type"] == "comment" for record in records) - tree_comments
    if comments:
        urls.append(f"{settings.hn_api_base}/item/<id>.json for {comments} comments")
    manifest = write_batch(
        settings.landing_dir,
        SOURCE,
        records,
        urls=urls,
        cursor_before=cursor_before,
        cursor_after=cursor_after,
        method=METHOD,
        stats={
            "skipped": skipped,
            "hidden_comments": dict(landed_hidden),
            "thread_sizes": thread_sizes,
            "requests": client.requests,
            "thread_trees": {"threads": trees, "comments": tree_comments},
            "rechecked": rechecked,
            "rechecked_at": rechecked_at,
            VERSIONS: versions_after,
        },
    )
    return IngestResult(
        SOURCE, [manifest] if manifest else [], client.requests, skipped, errors, notices
    )


class HnWhoIsHiringRecord(LandedRecord):
    """A landed line: one version of a top-level comment (``type`` comment) or a thread's
    size when it was observed (``type`` story)."""

    id: StrictInt
    by: str | None = None
    time: StrictInt
    text_html: str | None = None
    text: str | None = None
    parent: int | None = None
    thread_id: StrictInt
    thread_title: str | None = None
    thread_month: str | None = None
    type: str | None = None
    status: str | None = None
    time_precision: str | None = None
    top_level_comments: int | None = None
    descendants: int | None = None
    observed_at: datetime | None = None


def _ingest(
    settings: Settings, progress: Progress | None, since: datetime | None, until: datetime | None
) -> IngestResult:
    with HttpClient(settings) as client:
        return ingest(settings, client, progress, since=since, until=until)


SOURCES = (Source(SOURCE, HnWhoIsHiringRecord, _ingest, dag="hn", backfill=True),)
