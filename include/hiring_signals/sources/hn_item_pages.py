"""HN thread pages (``news.ycombinator.com/item?id=<thread>&p=<n>`` HTML) to API items.

Used by ``sample_data/build_hn_replay.py`` to turn real page captures into the item
answers of the HN Firebase API, which the unchanged ingest then fetches in replay mode.
The page markup changed over the years; both forms are read:

- a comment row is ``<tr class='athing comtr ...' id='<id>'>``;
- its depth is ``indent='N'`` on the ``ind`` cell (newer pages) or the width of the
  spacer image, 40 pixels per level (older pages);
- its time is ``<span class="age" title="ISO[ unix]">`` since May 2021 (the unix time
  since November 2024); older pages show only a relative age ("17 days ago"), which is
  turned into a time by the capture's own time, to the unit shown (``time_precision``);
- a logged-out visitor sees ``[dead]``, ``[flagged]``, ``[dupe]`` or ``[deleted]``
  instead of the text of such comments: the item is ``deleted``, or ``dead`` (flagged
  and duplicate comments are dead comments with a reason).

The text is the comment's HTML as the page shows it, which is the API's ``text`` field
(HN renders the stored HTML as is), apart from long link texts that pages shorten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

_ROW = re.compile(r"""<tr class=['"]athing comtr[^'"]*['"] id=['"](\d+)['"]>""")
_INDENT = re.compile(r"""<td class=['"]ind['"]\s*indent=['"](\d+)['"]""")
_SPACER = re.compile(
    r"""<td class=['"]ind['"][^>]*>\s*<img src="s\.gif" height="1" width="(\d+)">"""
)
_USER = re.compile(r'<a href="user\?id=[^"]+" class="hnuser">([^<]+)</a>')
_AGE = re.compile(r'<span class="age"(?: title="([^"]+)")?><a href="item\?id=\d+">([^<]*)</a>')
_RELATIVE = re.compile(r"^(\d+) (minute|hour|day)s? ago$")
_TEXT = re.compile(
    r"""<(span|div) class="commtext c\w*">(.*?)</\1>\s*<div class=['"]reply['"]>""", re.DOTALL
)
_MARKER = re.compile(r"""<div class="comment[^"]*">\s*\[([a-z]+)\]""")
_UNITS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
SPACER_PX_PER_LEVEL = 40


class PageFormatError(ValueError):
    """A page row that cannot be read; names the comment and the field."""

    def __init__(self, comment_id: int, field: str, reason: str) -> None:
        super().__init__(f"comment {comment_id}: {field}: {reason}")


@dataclass(frozen=True)
class PageComment:
    """One comment row of a thread page."""

    id: int
    depth: int
    by: str | None
    time: int
    time_precision: str  # second, minute, hour or day
    text: str | None
    status: str  # live, deleted, or the page's marker of a dead comment (dead, flagged, dupe)

    def as_item(self, thread_id: int) -> dict[str, Any]:
        """The Firebase API item of a top-level comment, as far as the page shows it."""
        item: dict[str, Any] = {
            "id": self.id,
            "parent": thread_id,
            "time": self.time,
            "time_precision": self.time_precision,
            "type": "comment",
        }
        if self.by is not None:
            item["by"] = self.by
        if self.text is not None:
            item["text"] = self.text
        if self.status == "deleted":
            item["deleted"] = True
        elif self.status != "live":
            item["dead"] = True
            if self.status != "dead":
                item["dead_reason"] = self.status
        return item


def _time(comment_id: int, row: str, captured_at: datetime) -> tuple[int, str]:
    age = _AGE.search(row)
    if age is None:
        raise PageFormatError(comment_id, "age", "no age span")
    title, shown = age.groups()
    if title:
        iso, _, unix = title.partition(" ")
        if unix:
            return int(unix), "second"
        return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp()), "second"
    relative = _RELATIVE.match(shown.strip())
    if relative is None:
        raise PageFormatError(comment_id, "age", f"unreadable relative age {shown!r}")
    count, unit = int(relative[1]), relative[2]
    # HN floors the age to the unit shown: the comment is between n and n+1 units old.
    posted = captured_at - (count + 0.5) * _UNITS[unit]
    return int(posted.timestamp()), unit


def _depth(comment_id: int, row: str) -> int:
    if indent := _INDENT.search(row):
        return int(indent[1])
    if spacer := _SPACER.search(row):
        return int(spacer[1]) // SPACER_PX_PER_LEVEL
    raise PageFormatError(comment_id, "indent", "no indent cell")


def parse_page(html: str, captured_at: datetime) -> list[PageComment]:
    """Every comment row of one page, in page order. ``captured_at`` is when the page was
    fetched (timezone-aware): it dates the comments of pages with relative ages only."""
    if captured_at.tzinfo is None:
        raise ValueError("captured_at must be timezone-aware")
    starts = list(_ROW.finditer(html))
    comments = []
    for number, start in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(html)
        row = html[start.start() : end]
        comment_id = int(start[1])
        text = _TEXT.search(row)
        marker = _MARKER.search(row)
        if text is None and marker is None:
            raise PageFormatError(comment_id, "text", "neither a comment text nor a marker")
        user = _USER.search(row)
        posted, precision = _time(comment_id, row, captured_at)
        comments.append(
            PageComment(
                id=comment_id,
                depth=_depth(comment_id, row),
                by=user[1] if user else None,
                time=posted,
                time_precision=precision,
                text=text[2] if text else None,
                status=marker[1] if marker and not text else "live",
            )
        )
    return comments


def top_level_comments(pages: list[tuple[str, datetime]]) -> list[PageComment]:
    """The top-level comments of a thread's pages, each comment id once (first page
    wins: later pages of one capture repeat nothing new)."""
    seen: dict[int, PageComment] = {}
    for html, captured_at in pages:
        for comment in parse_page(html, captured_at):
            if comment.depth == 0 and comment.id not in seen:
                seen[comment.id] = comment
    return list(seen.values())
