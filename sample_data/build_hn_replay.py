"""Build the replayable HN "Who is hiring?" history, June 2019 - March 2026.

Inputs (``../shared/data``, see ``replay/hn_whoishiring.PROVENANCE.md``):

- ``hn_pages_2019_2025/``: raw HTML captures of 78 monthly thread pages (June 2019 -
  October 2025 and January 2026), listed in its ``MANIFEST.tsv``;
- ``hn_whoishiring_2026_raw/<run date>/raw.json``: the HN Firebase API's own fields
  (id, by, time, text) of the top-level comments of January-March 2026.

Output: ``replay/hn_whoishiring.jsonl.gz``, one recorded API response per line, keyed by
URL path and query, which the replay transport (and the test replay server) serve to
the unchanged HTTP client, so the ingest lands the history exactly as it would from HN.

Every line says where it comes from in ``provenance``:

- ``real``: a comment item copied from the API snapshot, fields byte for byte;
- ``reconstructed``: a comment item read from a page capture by
  ``hiring_signals.sources.hn_item_pages`` (top-level comments only; dead, flagged and
  deleted comments as such; a time derived from the relative age on pages before May
  2021, with its ``time_precision``);
- ``constructed``: the thread items (real id and title; ``kids`` are the captured
  top-level ids, ``descendants`` the captured comments of all depths) and the Algolia
  discovery page. A thread answer carries the capture's time as its ``Date`` header:
  that is when its size was observed.

A comment id seen in both inputs (January 2026) is the API copy; ids only the page
shows are added from it, and the thread's ``kids`` are the union.

Usage: python sample_data/build_hn_replay.py [../shared/data]
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "include"))

from hiring_signals.sources.hn_item_pages import parse_page  # noqa: E402

OUT = REPO / "sample_data" / "replay" / "hn_whoishiring.jsonl.gz"
DISCOVERY_QUERY = "hitsPerPage=100&page=0&tags=story%2Cauthor_whoishiring"
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


def thread_lines(thread: Thread, first_time: int | None = None) -> tuple[list[dict], dict]:
    """The comment and thread answers of one thread and its Algolia hit. The thread's
    time is its first comment's unless ``first_time`` is given."""
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
    line["headers"] = {"Date": format_datetime(thread.observed_at.astimezone(UTC), usegmt=True)}
    lines.append(line)
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


def discovery_line(hits: list[dict]) -> dict:
    """The Algolia discovery page listing ``hits``, newest thread first."""
    hits = sorted(hits, key=lambda hit: hit["created_at_i"], reverse=True)
    return {
        "path": "/api/v1/search_by_date",
        "query": DISCOVERY_QUERY,
        "status": 200,
        "provenance": "constructed (Algolia response shape, real thread ids and titles)",
        "body": {"hits": hits, "nbHits": len(hits), "page": 0, "nbPages": 1, "hitsPerPage": 100},
    }


def write_bundle(out: Path, lines: list[dict]) -> None:
    """One recorded response per line, sorted by path and query."""
    lines = sorted(lines, key=lambda line: (line["path"], line["query"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same inputs give the same bytes.
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as raw:
        for line in lines:
            raw.write((json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode())


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
    lines.append(discovery_line(hits))
    write_bundle(OUT, lines)
    comments = sum(len(t.comments) for t in threads.values())
    print(f"wrote {len(lines)} responses ({len(threads)} threads, {comments} comments) to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
