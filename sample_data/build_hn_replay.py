"""Build the replayable HN "Who is hiring?" history, June 2019 - March 2026.

Inputs (``../shared/data``, see ``replay/hn_whoishiring.PROVENANCE.md``):

- ``hn_pages_2019_2025/``: raw HTML captures of 78 monthly thread pages (June 2019 -
  October 2025 and January 2026), listed in its ``MANIFEST.tsv``;
- ``hn_whoishiring_2026_raw/<run date>/raw.json``: the HN Firebase API's own fields
  (id, by, time, text) of the top-level comments of January-March 2026.

Output: ``replay/hn_whoishiring.jsonl.xz``, one recorded API response per line, keyed by
URL path and query, which the replay transport (and the test replay server) serve to
the unchanged HTTP client, so the ingest lands the history exactly as it would from HN.

Every line says where it comes from in ``provenance``:

- ``real``: a comment item copied from the API snapshot, fields byte for byte;
- ``reconstructed``: a comment item read from a page capture by
  ``hiring_signals.sources.hn_item_pages`` (top-level comments only; dead, flagged and
  deleted comments as such; a time derived from the relative age on pages before May
  2021, with its ``time_precision``);
- ``reconstructed (Algolia tree ...)``: each thread's Algolia ``items/<id>`` answer,
  built from the same comment items: one node per top-level comment with Algolia's
  fields (``id``, ``author``, ``created_at``, ``created_at_i``, ``text``, ``parent_id``,
  ``story_id``, ...; a deleted comment with neither author nor text) and, beside them,
  what the capture showed that Algolia's shape has no field for (``deleted``, ``dead``,
  ``dead_reason``, ``time_precision``, and on the tree ``descendants``, the captured
  comments of all depths or null, since replies are not bundled). The ingest lands a
  thread seen for the first time from this one answer, so the landed records are those
  of the comment items;
- ``constructed``: the thread items (real id and title; ``kids`` are the captured
  top-level ids, ``descendants`` the captured comments of all depths) and the Algolia
  discovery listing (the real requests' parameters, 20 hits a page, ending on an empty
  page). A thread answer and its tree carry the capture's time as their ``Date``
  header: that is when its size was observed.

A comment id seen in both inputs (January 2026) is the API copy; ids only the page
shows are added from it, and the thread's ``kids`` are the union.

Usage: python sample_data/build_hn_replay.py [../shared/data]
"""

from __future__ import annotations

import csv
import gzip
import json
import lzma
import sys
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "include"))

from hiring_signals.sources.hn_item_pages import parse_page  # noqa: E402

OUT = REPO / "sample_data" / "replay" / "hn_whoishiring.jsonl.xz"
# The parameters of the real recorded discovery requests (sample_data/hn_algolia_2023/).
DISCOVERY_QUERY = (
    "page={page}&query=hiring&tags=story%2C%28author__whoishiring%2C+author_whoishiring%29"
)
DISCOVERY_PARAMS = "advancedSyntax=true&analytics=true&analyticsTags=backend&" + DISCOVERY_QUERY
HITS_PER_PAGE = 20
TREE_PROVENANCE = (
    "reconstructed (Algolia tree shape built from this thread's comment items of the same "
    "captures; top-level comments only, with the captured count of all depths as "
    "descendants; deleted/dead/dead_reason/time_precision kept from the capture)"
)
PAGES = "hn_pages_2019_2025"
API_SNAPSHOTS = "hn_whoishiring_2026_raw"


class Thread:
    """What the inputs show of one monthly thread."""

    def __init__(self, thread_id: int, title: str) -> None:
        self.id = thread_id
        self.title = title
        self.comments: dict[int, tuple[dict, str]] = {}  # id -> (item, provenance)
        self.descendants: int | None = None
        self.observed_at: datetime | None = None

    def observe(self, at: datetime) -> None:
        self.observed_at = max(self.observed_at or at, at)


def read_pages(root: Path, threads: dict[int, Thread]) -> None:
    rows = list(csv.DictReader((root / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    by_thread: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if not row["dest"].startswith("_snapshots/"):
            by_thread[int(row["thread"])].append(row)
    for thread_id, pages in sorted(by_thread.items()):
        title = pages[0]["title"].removesuffix(" | Hacker News")
        thread = threads.setdefault(thread_id, Thread(thread_id, title))
        all_depths: set[int] = set()
        for page in pages:
            all_depths |= read_capture(root, page, thread)
        thread.descendants = len(all_depths)


def read_capture(root: Path, page: dict, thread: Thread) -> set[int]:
    """Add the top-level comments of one captured page (a ``MANIFEST.tsv`` row) that the
    thread does not have yet; the ids of the page's comments of all depths."""
    captured_at = datetime.fromisoformat(page["captured_at"])
    html = (root / page["dest"]).read_text(encoding="utf-8")
    source = f"reconstructed (page {page['dest']} captured {page['captured_at']})"
    all_depths = set()
    for comment in parse_page(html, captured_at):
        all_depths.add(comment.id)
        if comment.depth == 0 and comment.id not in thread.comments:
            thread.comments[comment.id] = (comment.as_item(thread.id), source)
    thread.observe(captured_at)
    return all_depths


def read_api_snapshots(root: Path, threads: dict[int, Thread]) -> None:
    for snapshot in sorted(root.glob("*/raw.json")):
        raw = json.loads(snapshot.read_text(encoding="utf-8"))
        thread_id = raw["sources"]["who_is_hiring_thread_id"]
        title = raw["sources"]["who_is_hiring_thread_title"]
        thread = threads.setdefault(thread_id, Thread(thread_id, title))
        source = f"real (API snapshot {snapshot.parent.name})"
        # HN job stories (source "direct") are not thread comments.
        for job in raw["jobs"]:
            if job["source"] == "who_is_hiring":
                item = {k: job[k] for k in ("by", "id", "text", "time")}
                item |= {"parent": thread_id, "type": "comment"}
                thread.comments[job["id"]] = (item, source)
        fetched = datetime.fromisoformat(raw["fetched_at"].replace("Z", "+00:00"))
        thread.observe(fetched)


def response(path: str, body: dict, provenance: str) -> dict:
    return {"path": path, "query": "", "status": 200, "provenance": provenance, "body": body}


def algolia_time(unix: int | None) -> str | None:
    if unix is None:
        return None
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def tree_node(item: dict, thread_id: int) -> dict:
    """The Algolia tree node of one top-level comment item."""
    node = {
        "author": item.get("by"),
        "children": [],
        "created_at": algolia_time(item.get("time")),
        "created_at_i": item.get("time"),
        "id": item["id"],
        "options": [],
        "parent_id": thread_id,
        "points": None,
        "story_id": thread_id,
        "text": item.get("text"),
        "title": None,
        "type": "comment",
        "url": None,
    }
    return node | {
        k: item[k] for k in ("deleted", "dead", "dead_reason", "time_precision") if k in item
    }


def tree_line(thread: Thread, first_time: int, date: str) -> dict:
    """The thread's Algolia ``items/<id>`` answer: its top-level comments as children."""
    tree = {
        "author": "whoishiring",
        "children": [
            tree_node(item, thread.id)
            for _, (item, _) in sorted(thread.comments.items(), reverse=True)
        ],
        "created_at": algolia_time(first_time),
        "created_at_i": first_time,
        "id": thread.id,
        "options": [],
        "parent_id": None,
        "points": None,
        "story_id": None,
        "text": None,
        "title": thread.title,
        "type": "story",
        "url": None,
    }
    # Replies are not bundled: their captured count, or None where none was captured.
    tree["descendants"] = thread.descendants
    line = response(f"/api/v1/items/{thread.id}", tree, TREE_PROVENANCE)
    line["headers"] = {"Date": date}
    return line


def thread_lines(thread: Thread, first_time: int | None = None) -> tuple[list[dict], dict]:
    """The comment and thread answers of one thread, its Algolia tree and its Algolia
    hit. The thread's time is its first comment's unless ``first_time`` is given."""
    lines = [
        response(f"/v0/item/{comment_id}.json", item, source)
        for comment_id, (item, source) in sorted(thread.comments.items())
    ]
    if first_time is None:
        first_time = min(item["time"] for item, _ in thread.comments.values())
    story = {
        "by": "whoishiring",
        "id": thread.id,
        "kids": sorted(thread.comments, reverse=True),
        "time": first_time,
        "title": thread.title,
        "type": "story",
    }
    if thread.descendants is not None:
        story["descendants"] = thread.descendants
    assert thread.observed_at is not None
    line = response(
        f"/v0/item/{thread.id}.json",
        story,
        "constructed (real id, title and captured comment ids; time of the first comment)",
    )
    date = format_datetime(thread.observed_at.astimezone(UTC), usegmt=True)
    line["headers"] = {"Date": date}
    lines.append(line)
    lines.append(tree_line(thread, first_time, date))
    hit = {
        "objectID": str(thread.id),
        "title": thread.title,
        "author": "whoishiring",
        "created_at": datetime.fromtimestamp(first_time, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_at_i": first_time,
        "num_comments": thread.descendants or len(thread.comments),
        "_tags": ["story", "author_whoishiring", f"story_{thread.id}", "ask_hn"],
    }
    return lines, hit


def discovery_lines(hits: list[dict]) -> list[dict]:
    """The Algolia listing of ``hits``, newest thread first, paged as the real recording
    is (20 hits a page, ``page`` and ``nbPages`` in the envelope), ending on the empty
    page ``nbPages``."""
    hits = sorted(hits, key=lambda hit: hit["created_at_i"], reverse=True)
    pages = -(-len(hits) // HITS_PER_PAGE)
    lines = []
    for page in range(pages + 1):
        lines.append(
            {
                "path": "/api/v1/search_by_date",
                "query": DISCOVERY_QUERY.format(page=page),
                "status": 200,
                "provenance": (
                    "constructed (Algolia search_by_date envelope as recorded, real thread "
                    "ids and titles)"
                ),
                "body": {
                    "hits": hits[page * HITS_PER_PAGE : (page + 1) * HITS_PER_PAGE],
                    "nbHits": len(hits),
                    "page": page,
                    "nbPages": pages,
                    "hitsPerPage": HITS_PER_PAGE,
                    "query": "hiring",
                    "params": DISCOVERY_PARAMS.format(page=page),
                },
            }
        )
    return lines


def line_group(line: dict) -> int:
    """The thread a line belongs to (its comments, item and tree together, so that xz
    finds a tree's text next to the comment items it repeats); listings last."""
    body = line.get("body")
    if isinstance(body, dict) and "hits" not in body:
        if body.get("type") == "comment" and isinstance(body.get("parent"), int):
            return body["parent"]
        if isinstance(body.get("id"), int):
            return body["id"]
    return 1 << 62


def write_bundle(out: Path, lines: list[dict]) -> None:
    """One recorded response per line, grouped by thread, then sorted by path and query;
    ``.xz`` or ``.gz`` by the file name."""
    lines = sorted(lines, key=lambda line: (line_group(line), line["path"], line["query"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(
        (json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode() for line in lines
    )
    if out.suffix == ".xz":
        out.write_bytes(lzma.compress(data, preset=6))  # no timestamp: same inputs, same bytes
    else:
        with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as raw:  # mtime=0: same bytes
            raw.write(data)


def main(shared_data: Path) -> None:
    threads: dict[int, Thread] = {}
    read_pages(shared_data / PAGES, threads)
    read_api_snapshots(shared_data / API_SNAPSHOTS, threads)
    lines: list[dict] = []
    hits: list[dict] = []
    for thread in threads.values():
        thread_responses, hit = thread_lines(thread)
        lines += thread_responses
        hits.append(hit)
    lines += discovery_lines(hits)
    write_bundle(OUT, lines)
    comments = sum(len(t.comments) for t in threads.values())
    print(f"wrote {len(lines)} responses ({len(threads)} threads, {comments} comments) to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
