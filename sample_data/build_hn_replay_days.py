"""Build a day-by-day replay of the October 2025 "Who is hiring?" thread (45438503).

Input: the 15 successive real captures of the thread page in
``../shared/data/hn_pages_2019_2025/_snapshots/`` (rows of its ``MANIFEST.tsv`` whose
``dest`` starts with ``_snapshots/``), 2025-10-01 to 2025-11-01. The last one is a real
0-byte file: the mirror's scraper committed a failed fetch.

Output: ``replay_days/<captured_at, UTC, e.g. 2025-10-01T1826Z>/hn_whoishiring.jsonl.xz``,
one replay folder per capture, each the whole API as that capture shows it: the Algolia
discovery listing (this thread only), the thread item (``kids`` = the captured top-level
ids, ``descendants`` = captured comments of all depths, ``Date`` = the capture time) and
each top-level comment as reconstructed from that capture, and the thread's Algolia
tree built from those comments (the first day lands from it). Ingesting the folders in
order replays the thread's month: comments appear, are edited, disappear. For the
0-byte capture the thread item is an empty body with status 200, as the real fetch got.

The lines are made by the functions of ``build_hn_replay.py`` (same shapes and
``provenance`` values as the main bundle); the thread's ``time`` is the earliest comment
time over all captures, so it is the same every day.

Usage: python sample_data/build_hn_replay_days.py [../shared/data]
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from build_hn_replay import (
    PAGES,
    REPO,
    Thread,
    discovery_lines,
    read_capture,
    thread_lines,
    write_bundle,
)

from hiring_signals.sources.hn_item_pages import parse_page

OUT_DIR = REPO / "sample_data" / "replay_days"
THREAD_ID = 45438503


def day_name(captured_at: datetime) -> str:
    """Folder name of a capture: its time in UTC to the minute, ``2025-10-01T1826Z``."""
    return f"{captured_at.astimezone(UTC):%Y-%m-%dT%H%MZ}"


def snapshot_rows(root: Path) -> list[dict]:
    """The MANIFEST rows of the thread's successive captures, oldest first."""
    with (root / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    snapshots = [
        row
        for row in rows
        if row["dest"].startswith("_snapshots/") and int(row["thread"]) == THREAD_ID
    ]
    return sorted(snapshots, key=lambda row: datetime.fromisoformat(row["captured_at"]))


def first_comment_time(root: Path, rows: list[dict]) -> int:
    """The earliest comment time over every capture: the thread's time on every day."""
    return min(
        comment.time
        for row in rows
        for comment in parse_page(
            (root / row["dest"]).read_text(encoding="utf-8"),
            datetime.fromisoformat(row["captured_at"]),
        )
    )


def empty_thread_line(row: dict) -> dict:
    """The thread answer of a 0-byte capture: a real empty body, status 200."""
    captured_at = datetime.fromisoformat(row["captured_at"])
    return {
        "path": f"/v0/item/{THREAD_ID}.json",
        "query": "",
        "status": 200,
        "body_text": "",
        "headers": {"Date": format_datetime(captured_at.astimezone(UTC), usegmt=True)},
        "provenance": (
            f"real (the capture {row['dest']} of {row['captured_at']} is a 0-byte failed "
            "fetch; served as an empty 200 body)"
        ),
    }


def main(shared_data: Path) -> None:
    root = shared_data / PAGES
    rows = snapshot_rows(root)
    first_time = first_comment_time(root, rows)
    last_hit: dict | None = None
    total = 0
    for row in rows:
        title = row["title"].removesuffix(" | Hacker News")
        thread = Thread(THREAD_ID, title)
        thread.descendants = len(read_capture(root, row, thread))
        lines, hit = thread_lines(thread, first_time)
        if int(row["bytes"]) == 0:
            story = next(line for line in lines if line["path"] == f"/v0/item/{THREAD_ID}.json")
            # No tree either: the capture shows nothing of the thread.
            lines = [
                line
                for line in lines
                if line is not story and not line["path"].startswith("/api/v1/items/")
            ]
            lines.append(empty_thread_line(row))
            # Algolia still lists the thread; its comment count is the last one seen.
            hit = last_hit or hit
        last_hit = hit
        out = (
            OUT_DIR
            / day_name(datetime.fromisoformat(row["captured_at"]))
            / "hn_whoishiring.jsonl.xz"
        )
        write_bundle(out, [*lines, *discovery_lines([hit])])
        total += out.stat().st_size
        print(f"{out.parent.name}: {len(thread.comments)} comments, {out.stat().st_size} bytes")
    print(f"wrote {len(rows)} days ({total} bytes) to {OUT_DIR}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
