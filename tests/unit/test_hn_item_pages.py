"""HN thread page HTML to API items (``hiring_signals.sources.hn_item_pages``).

The fixtures in ``tests/fixtures/hn_pages/`` are byte-for-byte slices of real page captures
(see the README there for source path, capture commit and capture time of each). Every
expected value below was read off that HTML. The checks on whole pages use the shared
captures and are skipped where ``../shared/data`` is not present.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hiring_signals.sources.hn_item_pages import (
    PageComment,
    PageFormatError,
    parse_page,
    top_level_comments,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hn_pages"
# Same convention as sample_data/build_hn_replay.py: the shared data sits beside the repo.
PAGES = Path(__file__).resolve().parents[3] / "shared" / "data" / "hn_pages_2019_2025"
needs_pages = pytest.mark.skipif(
    not (PAGES / "MANIFEST.tsv").is_file(), reason="shared page captures not present"
)

# fixture -> (source file under PAGES, byte range, the capture time from MANIFEST.tsv)
FIXTURE_SOURCES = {
    "old_2020-01_21936440_p1_head.html": (
        "whoishiring/files/21936440/1.html",
        (0, 6621),
        "2020-01-28T13:11:10-05:00",
    ),
    "old_2020-02_22225314_p1_head.html": (
        "whoishiring/files/22225314/1.html",
        (0, 14956),
        "2020-02-09T22:58:42-05:00",
    ),
    "old_2021-02_25989764_p1_head.html": (
        "whoishiring/files/25989764/1.html",
        (0, 7863),
        "2021-02-19T10:43:57-05:00",
    ),
    "old_2020-01_21683554_p3_dead_flagged.html": (
        "whoishiring/files/21683554/3.html",
        (442754, 448684),
        "2020-01-01T08:15:03-05:00",
    ),
    "old_2020-05_23042618_p3_dupe_in_comhead.html": (
        "whoishiring/files/23042618/3.html",
        (374548, 377756),
        "2020-06-01T10:47:30-04:00",
    ),
    "old_2021-03_26304051_p4_deleted.html": (
        "whoishiring/files/26304051/4.html",
        (33624, 34468),
        "2021-03-16T10:38:11-04:00",
    ),
    "iso_2024-01_38842977_p4_head.html": (
        "whoishiring/files/38842977/4.html",
        (0, 13335),
        "2024-01-11T21:46:22-05:00",
    ),
    "unix_2025-08_44757794_p1_head.html": (
        "whoishiring/files/44757794/1.html",
        (0, 9258),
        "2025-08-20T10:11:11-04:00",
    ),
    "unix_2025-10_45438503_p1_dead_flagged.html": (
        "whoishiring/files/45438503/1.html",
        (940253, 947082),
        "2025-11-06T06:56:56-05:00",
    ),
}


def _html(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _captured_at(name: str) -> datetime:
    return datetime.fromisoformat(FIXTURE_SOURCES[name][2])


def _parse(name: str) -> list[PageComment]:
    return parse_page(_html(name), _captured_at(name))


def _by_id(name: str) -> dict[int, PageComment]:
    return {c.id: c for c in _parse(name)}


def _ts(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


# --- old pages (before May 2021): spacer-image depth, relative ages only -------------


def test_old_page_rows_are_read_in_page_order_with_depth_from_the_spacer_width():
    comments = _parse("old_2020-02_22225314_p1_head.html")
    assert [(c.id, c.depth, c.by, c.status) for c in comments] == [
        (22284387, 0, "paulsimbe", "live"),
        (22231675, 0, "hu3", "live"),
        (22226750, 0, "ryankicks", "live"),
        (22231583, 0, "abinaya_rl", "live"),
        (22272093, 1, "senderista", "live"),  # <img src="s.gif" height="1" width="40">
    ]


def test_relative_hours_age_is_dated_mid_hour_before_the_capture_with_hour_precision():
    # "6 hours ago" on a page captured 2020-02-09T22:58:42-05:00. HN floors the age to the
    # unit shown, so the comment is 6 to 7 hours old: the module takes the middle, T - 6.5 h.
    captured = _captured_at("old_2020-02_22225314_p1_head.html")
    comment = _by_id("old_2020-02_22225314_p1_head.html")[22284387]
    assert comment.time_precision == "hour"
    assert comment.time == _ts("2020-02-10T03:58:42+00:00") - 6 * 3600 - 1800
    assert comment.time == _ts("2020-02-09T21:28:42+00:00")
    assert captured - timedelta(hours=7) < datetime.fromtimestamp(comment.time, UTC)
    assert datetime.fromtimestamp(comment.time, UTC) <= captured - timedelta(hours=6)


def test_relative_days_age_is_dated_mid_day_before_the_capture_with_day_precision():
    comments = _by_id("old_2020-02_22225314_p1_head.html")
    # "6 days ago" and, for the reply, "2 days ago"; captured 2020-02-10T03:58:42Z.
    for comment_id in (22231675, 22226750, 22231583):
        assert comments[comment_id].time == _ts("2020-02-03T15:58:42+00:00")  # T - 6.5 days
        assert comments[comment_id].time_precision == "day"
    assert comments[22272093].time == _ts("2020-02-07T15:58:42+00:00")  # T - 2.5 days
    assert comments[22272093].time_precision == "day"


def test_relative_minutes_age_is_dated_mid_minute_before_the_capture_with_minute_precision():
    # The only old-markup page with a minutes age: Feb 2021, "47 minutes ago",
    # captured 2021-02-19T10:43:57-05:00 (15:43:57Z).
    [comment] = _parse("old_2021-02_25989764_p1_head.html")
    assert (comment.id, comment.depth, comment.by) == (26193805, 0, "samulipehkonen")
    assert comment.time_precision == "minute"
    assert comment.time == _ts("2021-02-19T15:43:57+00:00") - 47 * 60 - 30
    assert comment.time == _ts("2021-02-19T14:56:27+00:00")


def test_relative_age_time_follows_the_capture_time_given():
    html = _html("old_2020-02_22225314_p1_head.html")
    earlier = parse_page(html, datetime(2020, 2, 10, 3, 58, 42, tzinfo=UTC))
    later = parse_page(html, datetime(2020, 2, 11, 3, 58, 42, tzinfo=UTC))
    assert [b.time - a.time for a, b in zip(earlier, later, strict=True)] == [86400] * 5


def test_reply_rows_are_left_out_of_the_top_level_comments():
    name = "old_2020-02_22225314_p1_head.html"
    tops = top_level_comments([(_html(name), _captured_at(name))])
    assert [c.id for c in tops] == [22284387, 22231675, 22226750, 22231583]


def test_old_dead_and_flagged_rows_have_no_text_and_their_replies_stay_replies():
    comments = _parse("old_2020-01_21683554_p3_dead_flagged.html")
    assert [(c.id, c.depth, c.by, c.status, c.text is None) for c in comments] == [
        (21688140, 0, None, "dead", True),  # "[dead]", no author shown
        (21690222, 1, "dang", "live", False),
        (21685696, 0, None, "dead", True),
        (21687109, 1, "dang", "live", False),
        (21685945, 0, "kipepeo", "flagged", True),  # "[flagged]" on a collapsed (coll) row
        (21687117, 1, "dang", "live", False),
    ]
    # Dead rows still carry their age: "29 days ago", captured 2020-01-01T13:15:03Z.
    assert {c.time for c in comments} == {_ts("2019-12-03T01:15:03+00:00")}
    name = "old_2020-01_21683554_p3_dead_flagged.html"
    tops = top_level_comments([(_html(name), _captured_at(name))])
    assert [c.id for c in tops] == [21688140, 21685696, 21685945]


def test_dead_and_flagged_rows_become_dead_api_items_with_the_reason():
    comments = _by_id("old_2020-01_21683554_p3_dead_flagged.html")
    assert comments[21688140].as_item(21683554) == {
        "id": 21688140,
        "parent": 21683554,
        "time": _ts("2019-12-03T01:15:03+00:00"),
        "time_precision": "day",
        "type": "comment",
        "dead": True,
    }
    assert comments[21685945].as_item(21683554) == {
        "id": 21685945,
        "parent": 21683554,
        "time": _ts("2019-12-03T01:15:03+00:00"),
        "time_precision": "day",
        "type": "comment",
        "by": "kipepeo",
        "dead": True,
        "dead_reason": "flagged",
    }


def test_old_deleted_row_has_no_author_and_is_dated_from_its_relative_age():
    # March 2021, "[deleted]" with "14 days ago", captured 2021-03-16T14:38:11Z.
    [comment] = _parse("old_2021-03_26304051_p4_deleted.html")
    assert (comment.id, comment.depth, comment.by, comment.text, comment.status) == (
        26306729,
        0,
        None,
        None,
        "deleted",
    )
    assert comment.as_item(26304051) == {
        "id": 26306729,
        "parent": 26304051,
        "time": _ts("2021-03-02T02:38:11+00:00"),  # T - 14.5 days
        "time_precision": "day",
        "type": "comment",
        "deleted": True,
    }


def test_dupe_mark_in_the_header_of_a_comment_whose_text_is_shown_leaves_it_live():
    # May 2020: "[dupe]" sits in the comhead, but the text is shown to a logged-out
    # visitor, so the comment is not dead; the module reads only the [..] that replaces
    # the text. Recorded here so that a change of that reading is a decision.
    html = _html("old_2020-05_23042618_p3_dupe_in_comhead.html")
    assert '<span id="unv_23045344"></span> [dupe] <span class="par">' in html
    [comment] = _parse("old_2020-05_23042618_p3_dupe_in_comhead.html")
    assert (comment.id, comment.depth, comment.by, comment.status) == (
        23045344,
        0,
        "ChrisEckhaus",
        "live",
    )
    assert comment.text.startswith("10x Genomics www.10xgenomics.com Pleasanton, CA")
    assert "dead" not in comment.as_item(23042618)


# --- May 2021 - Oct 2024: title="ISO", indent='N' -------------------------------------


def test_iso_age_title_gives_the_exact_utc_second_whatever_the_capture_time():
    name = "iso_2024-01_38842977_p4_head.html"
    # <span class="age" title="2024-01-02T19:48:19"><a ...>9 days ago</a>: the ISO is UTC.
    for captured in (_captured_at(name), datetime(2030, 1, 1, tzinfo=UTC)):
        comments = {c.id: c for c in parse_page(_html(name), captured)}
        assert comments[38846159].time == _ts("2024-01-02T19:48:19+00:00") == 1704224899
        assert comments[38843480].time == _ts("2024-01-02T16:32:03+00:00")
        assert comments[38843703].time == _ts("2024-01-02T16:48:39+00:00")
        assert comments[38843850].time == _ts("2024-01-02T17:00:23+00:00")
        assert {c.time_precision for c in comments.values()} == {"second"}


def test_indent_attribute_gives_the_depth_and_a_deleted_row_becomes_a_deleted_item():
    comments = _parse("iso_2024-01_38842977_p4_head.html")
    assert [(c.id, c.depth, c.by, c.status) for c in comments] == [
        (38846159, 0, "ellisd", "live"),
        (38843480, 0, None, "deleted"),  # class='athing comtr coll', "[deleted]"
        (38843703, 1, "grownupSpinach", "live"),  # class='athing comtr noshow'
        (38843850, 2, "prithvi2206", "live"),
    ]
    assert comments[1].text is None
    assert comments[1].as_item(38842977) == {
        "id": 38843480,
        "parent": 38842977,
        "time": 1704213123,
        "time_precision": "second",
        "type": "comment",
        "deleted": True,
    }


# --- Nov 2024 on: title="ISO unix", double-quoted markup ------------------------------


def test_iso_unix_age_title_gives_the_unix_second():
    comments = _parse("unix_2025-08_44757794_p1_head.html")
    assert [(c.id, c.depth, c.by, c.time, c.time_precision) for c in comments] == [
        (44757802, 0, "jamesjyu", 1754060421, "second"),  # "2025-08-01T15:00:21 1754060421"
        (44762986, 1, "NetOpWibby", 1754085979, "second"),
        (44763753, 1, "rewgs", 1754092930, "second"),
    ]
    assert comments[0].time == _ts("2025-08-01T15:00:21+00:00")
    assert comments[0].as_item(44757794) == {
        "id": 44757802,
        "parent": 44757794,
        "time": 1754060421,
        "time_precision": "second",
        "type": "comment",
        "by": "jamesjyu",
        "text": comments[0].text,
    }


def test_new_dead_and_flagged_rows_keep_their_exact_times():
    comments = _parse("unix_2025-10_45438503_p1_dead_flagged.html")
    assert [(c.id, c.depth, c.by, c.status, c.time) for c in comments] == [
        (45442117, 0, None, "dead", 1759346746),
        (45443235, 1, "dang", "live", 1759351371),
        (45442179, 0, None, "dead", 1759347004),
        (45443233, 1, "dang", "live", 1759351370),
        (45442846, 1, "cheema33", "live", 1759349702),
        (45441807, 0, "coolThingsFirst", "flagged", 1759345286),
    ]
    assert comments[5].as_item(45438503)["dead_reason"] == "flagged"
    assert "dead_reason" not in comments[0].as_item(45438503)


# --- text ------------------------------------------------------------------------------


def test_text_keeps_entities_and_quotes_as_the_page_encodes_them():
    assert _by_id("iso_2024-01_38842977_p4_head.html")[38843703].text == (
        "email doesn&#x27;t work, fyi."
    )
    assert _by_id("old_2020-02_22225314_p1_head.html")[22272093].text == (
        "The site looks great, but when I clicked the &quot;Start Trial&quot; button and "
        "scanned through the categories, there were literally none that applied to me "
        "(non-web backend&#x2F;distributed systems, Rust&#x2F;C++&#x2F;Java). That gives me "
        "the impression that this site isn&#x27;t really meant for people like me."
    )
    assert _by_id("unix_2025-08_44757794_p1_head.html")[44762986].text == (
        "Damn, this really is the best job listing I&#x27;ve seen (especially on this site). "
        "I applied."
    )
    # Raw UTF-8 (not an entity) where the page has it.
    assert _by_id("old_2020-02_22225314_p1_head.html")[22226750].text.startswith(
        "YC\u2019s Work at a Startup Expo on March 7th"
    )


_COMMTEXT = re.compile(
    r"""<(span|div) class="commtext c\w*">(.*?)</\1>\s*<div class=['"]reply['"]>""", re.DOTALL
)


@pytest.mark.parametrize("name", sorted(FIXTURE_SOURCES))
def test_text_is_the_comment_html_of_the_page_byte_for_byte(name):
    html = _html(name)
    shown = [m[2] for m in _COMMTEXT.finditer(html)]
    assert [c.text for c in _parse(name) if c.text is not None] == shown


def test_leading_space_of_a_comment_is_kept_as_the_page_shows_it():
    # Jan 2020: this poster's text starts with a space inside the commtext span; the page
    # renders the stored HTML as is, so the item's text keeps it.
    html = _html("old_2020-01_21936440_p1_head.html")
    assert '<span class="commtext c00"> CodeWeavers | St Paul, MN, USA' in html
    [comment] = _parse("old_2020-01_21936440_p1_head.html")
    assert comment.id == 21937030
    assert comment.text.startswith(" CodeWeavers | St Paul, MN, USA | Full Time")


# --- rows the parser cannot read --------------------------------------------------------

# These take one real row and break one field of it (the only synthetic inputs here).
_ROW_22284387 = "old_2020-02_22225314_p1_head.html"


def _broken(old: str, new: str) -> str:
    html = _html(_ROW_22284387)
    assert html.count(old) == 1
    return html.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '<span class="age"><a href="item?id=22284387">6 hours ago</a></span>',
            "",
            "comment 22284387: age: no age span",
        ),
        (
            '<a href="item?id=22284387">6 hours ago</a>',
            '<a href="item?id=22284387">on Feb 9, 2020</a>',
            "comment 22284387: age: unreadable relative age 'on Feb 9, 2020'",
        ),
        (
            '<a href="item?id=22284387">6 hours ago</a>',
            '<a href="item?id=22284387">6 weeks ago</a>',
            "comment 22284387: age: unreadable relative age '6 weeks ago'",
        ),
        (
            "<tr class='athing comtr ' id='22284387'><td>\n"
            "            <table border='0'>  <tr>    <td class='ind'>"
            '<img src="s.gif" height="1" width="0"></td>',
            "<tr class='athing comtr ' id='22284387'><td>\n"
            "            <table border='0'>  <tr>    ",
            "comment 22284387: indent: no indent cell",
        ),
        (
            '<span class="commtext c00">Simbe Robotics',
            '<span class="commtxt c00">Simbe Robotics',
            "comment 22284387: text: neither a comment text nor a marker",
        ),
    ],
    ids=["no-age", "dated-age", "unknown-unit", "no-indent", "no-text"],
)
def test_a_row_that_cannot_be_read_raises_page_format_error_naming_comment_and_field(
    old, new, message
):
    with pytest.raises(PageFormatError) as raised:
        parse_page(_broken(old, new), _captured_at(_ROW_22284387))
    assert str(raised.value) == message
    assert isinstance(raised.value, ValueError)


def test_a_capture_time_without_timezone_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_page(_html(_ROW_22284387), datetime(2020, 2, 9, 22, 58, 42))


def test_a_page_without_comment_rows_gives_no_comments():
    # The real 0-byte failed fetch of 2025-11-01 in the shared snapshots is such a page.
    assert parse_page("", datetime(2025, 11, 1, 5, 39, 42, tzinfo=UTC)) == []


def test_a_comment_on_two_pages_is_kept_once_from_the_first():
    name = "old_2020-02_22225314_p1_head.html"
    html, captured = _html(name), _captured_at(name)
    tops = top_level_comments([(html, captured), (html, captured + timedelta(days=3))])
    assert [c.id for c in tops] == [22284387, 22231675, 22226750, 22231583]
    assert tops[0].time == _ts("2020-02-09T21:28:42+00:00")  # from the first page


# --- against the shared captures ---------------------------------------------------------


@needs_pages
@pytest.mark.parametrize("name", sorted(FIXTURE_SOURCES))
def test_fixture_is_a_byte_for_byte_slice_of_its_capture(name):
    source, (start, end), captured_at = FIXTURE_SOURCES[name]
    assert (FIXTURES / name).read_bytes() == (PAGES / source).read_bytes()[start:end]
    manifest = {row["dest"]: row for row in _manifest()}
    assert manifest[source]["captured_at"] == captured_at


def _manifest() -> list[dict[str, str]]:
    with (PAGES / "MANIFEST.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


_ROW_CLASS = re.compile(r"""<tr class=['"]athing comtr([^'"]*)['"] id=['"](\d+)['"]>""")


@needs_pages
@pytest.mark.parametrize(
    ("thread", "top_level", "manifest_top", "collapsed_top"),
    [
        # Dec 2019, 3 pages, old markup: collapsed are 1 flagged and 2 live top-level rows
        # (its 2 dead top-level rows are not collapsed, so MANIFEST counts them).
        (21683554, 606, 603, 3),
        # Jan 2024, 4 pages, ISO ages: 3 deleted and 2 dead rows, all collapsed.
        (38842977, 286, 281, 5),
        # Oct 2025, 1 page, ISO+unix ages: 2 deleted, 3 dead, 4 flagged, all collapsed.
        (45438503, 357, 348, 9),
    ],
)
def test_top_level_count_of_a_month_is_manifest_count_plus_collapsed_rows(
    thread, top_level, manifest_top, collapsed_top
):
    # MANIFEST.tsv's top_new_on_page counts, per page, the depth-0 rows not on an earlier
    # page whose class is exactly "athing comtr": it leaves out collapsed ("coll") rows
    # and the "noshow" replies under them. The module reads those rows too, so a month's
    # top-level comments are the MANIFEST count plus its collapsed top-level rows.
    rows = [
        r
        for r in _manifest()
        if r["thread"] == str(thread) and not r["dest"].startswith("_snapshots/")
    ]
    pages = [
        ((PAGES / r["dest"]).read_text(encoding="utf-8"), datetime.fromisoformat(r["captured_at"]))
        for r in rows
    ]
    tops = top_level_comments(pages)
    collapsed = {
        int(comment_id)
        for html, _ in pages
        for classes, comment_id in _ROW_CLASS.findall(html)
        if "coll" in classes.split()
    }
    assert sum(int(r["top_new_on_page"]) for r in rows) == manifest_top
    assert len(tops) == top_level
    assert len({c.id for c in tops} & collapsed) == collapsed_top
    assert top_level == manifest_top + collapsed_top
    # And the uncollapsed ones are exactly what MANIFEST counted: no row lost or invented.
    assert len([c for c in tops if c.id not in collapsed]) == manifest_top
