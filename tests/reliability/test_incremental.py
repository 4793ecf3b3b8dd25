"""An incremental day builds the same marts as a full rebuild, and processes only the day.

Day 0 lands HN comments that form repost chains and snapshots of the sample job boards;
day 1 lands comments that become the new first posting of existing chains (posted
earlier, landed later), a repost of a day-0 posting, and board snapshots in which one
job closed. The grown warehouse is then compared, row for row, with a rebuild of the
same landing from scratch.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from hiring_signals import landing
from hiring_signals.pipeline import ingest_source
from hiring_signals.sources import ats_boards
from hiring_signals.sources.hn_whoishiring import METHOD, SOURCE, Thread, to_record
from hiring_signals.warehouse import build, build_selection, connect_read_only, prepare_landing
from tests.reliability.test_determinism import differences, row_hashes

pytestmark = pytest.mark.slow

THREAD = Thread(id=500, title="Ask HN: Who is hiring? (March 2025)", month="2025-03")
# Long enough (200+ letters) for the text link key, which ignores all but letters.
BODY = (
    "We build routing software for city logistics and want someone who enjoys profiling "
    "queries, owning services end to end and writing the design notes that the rest of "
    "the team reads before each release."
)


def comment(item_id: int, day: str, header: str, body: str = "") -> dict:
    posted = datetime.fromisoformat(day).replace(tzinfo=UTC)
    text = f"{header}<p>{body}" if body else header
    return {"id": item_id, "by": f"u{item_id}", "time": int(posted.timestamp()), "text": text}


def land_comments(settings, items: list[dict], fetched_at: datetime) -> None:
    landing.write_batch(
        settings.landing_dir,
        SOURCE,
        [to_record(item | {"parent": THREAD.id}, THREAD) for item in items],
        urls=["test://hn"],
        cursor_before={},
        cursor_after={},
        method=METHOD,
        fetched_at=fetched_at,
    )


def postings(db) -> dict[str, tuple]:
    with connect_read_only(db) as con:
        rows = con.execute(
            "select posting_id, canonical_posting_id, is_repost, closed_on "
            "from marts.fct_job_postings"
        ).fetchall()
    return {posting_id: tuple(rest) for posting_id, *rest in rows}


def test_incremental_day_matches_a_full_rebuild_across_reposts_and_a_closed_job(
    live_settings, replay_server, monkeypatch, tmp_path
):
    today = landing.utc_now()
    # Day 0: W, A and B share their text; A and B also their title, W has another one.
    # C is another job of Acme.
    land_comments(
        live_settings,
        [
            comment(9, "2025-01-20", "Acme | Backend Engineer, Berlin | ONSITE", BODY),
            comment(1, "2025-03-03", "Acme | Backend Engineer | Berlin | ONSITE", BODY),
            comment(2, "2025-03-20", "Acme | Backend Engineer | Berlin | ONSITE", BODY),
            comment(3, "2025-03-05", "Acme | Data Engineer | SF"),
        ],
        today,
    )
    for source in ("greenhouse", "lever", "ashby"):
        assert ingest_source(live_settings, source).errors == []
    assert build(live_settings).success
    before = postings(live_settings.build_db)
    assert before["hn-1"][:2] == before["hn-2"][:2] == ("hn-9", True)

    # Day 1, landed late: X heads the title chain of A and B, but their text chain with
    # W still starts earlier (two hops from X). X2 heads C's chain, Y reposts C.
    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(landing, "utc_now", lambda: tomorrow)
    monkeypatch.setattr(ats_boards, "utc_now", lambda: tomorrow)
    # Board answers are dated by their Date header: the server answers tomorrow too.
    replay_server.now = format_datetime(tomorrow.replace(microsecond=0), usegmt=True)
    land_comments(
        live_settings,
        [
            comment(4, "2025-02-10", "ACME | backend engineer"),
            comment(6, "2025-02-20", "Acme | Data Engineer"),
            comment(5, "2025-04-01", "Acme | Data Engineer | NYC"),
        ],
        tomorrow,
    )
    jobs = replay_server.body("/v1/boards/perplexityai/jobs", "content=true")["jobs"]
    closed = jobs.pop()
    assert ingest_source(live_settings, "greenhouse").errors == []
    result = build(live_settings)
    assert result.success, result.failures

    after = postings(live_settings.build_db)
    assert after["hn-1"][:2] == after["hn-2"][:2] == ("hn-9", True)
    assert after["hn-4"][:2] == ("hn-4", False)
    assert after["hn-3"][:2] == after["hn-5"][:2] == ("hn-6", True)
    closed_id = f"greenhouse-perplexityai-{closed['id']}"
    assert before[closed_id][2] is None and after[closed_id][2] == tomorrow.date()
    with connect_read_only(live_settings.build_db) as con:
        newest = {
            posting_id
            for (posting_id,) in con.execute(
                "select posting_id from intermediate.int_postings_unioned where _loaded_at = "
                "(select max(_loaded_at) from intermediate.int_postings_unioned)"
            ).fetchall()
        }
    # Only the new comments and the greenhouse jobs (seen again or closed) were redone.
    assert newest == {"hn-4", "hn-5", "hn-6"} | {p for p in after if p.startswith("greenhouse")}

    scratch = dataclasses.replace(live_settings, data_dir=tmp_path / "scratch")
    shutil.copytree(live_settings.landing_dir, scratch.landing_dir)
    assert build(scratch).success
    assert differences(row_hashes(scratch.build_db), row_hashes(live_settings.build_db)) == []


def staged(settings, comment_id: int) -> tuple:
    with connect_read_only(settings.build_db) as con:
        return con.execute(
            "select body_text, batch_id, _loaded_at from staging.stg_hn__postings "
            "where comment_id = ?",
            [comment_id],
        ).fetchone()


def build_hn_staging(settings) -> str:
    """Build the file ledger and the HN staging models; return stg_hn__postings' SQL."""
    _, variables = prepare_landing(settings)
    success, failures = build_selection(
        settings, variables, "stg_landing__files stg_hn__postings stg_hn__threads"
    )
    assert success, failures
    compiled = settings.data_dir / "dbt" / "target" / "compiled" / "hiring_signals" / "models"
    return (compiled / "staging" / "hn" / "stg_hn__postings.sql").read_text()


def test_each_landing_file_is_read_once_and_a_later_correction_wins(settings):
    first = landing.utc_now() - timedelta(hours=3)
    original = comment(1, "2025-03-03", "Acme | Backend Engineer | Berlin | ONSITE", BODY)
    land_comments(settings, [original], first)
    build_hn_staging(settings)
    # A re-check lands the same comment again: every row of this batch is known already,
    # and the first batch now holds no surviving row.
    land_comments(settings, [original], first + timedelta(hours=1))
    assert ".jsonl.gz'" in build_hn_staging(settings)
    after_second = staged(settings, 1)

    sql = build_hn_staging(settings)

    assert ".jsonl.gz'" not in sql, "no landing file is read twice"
    assert staged(settings, 1) == after_second, "nothing was read again and re-stamped"
    with connect_read_only(settings.build_db) as con:
        ledger = con.execute(
            "select count(*), count(distinct batch_id) from staging.stg_landing__files"
        ).fetchone()
    assert ledger == (2, 2)

    # A correction lands later: the latest landed version wins, in staging and the marts.
    corrected = comment(1, "2025-03-03", "Acme | Staff Backend Engineer | Berlin", BODY)
    land_comments(settings, [corrected], first + timedelta(hours=2))
    assert build(settings).success
    assert staged(settings, 1)[0].startswith("Acme | Staff Backend Engineer")
    with connect_read_only(settings.build_db) as con:
        (title,) = con.execute(
            "select title_text from marts.fct_job_postings where source_name = 'hn_whoishiring'"
        ).fetchone()
    assert "Staff Backend Engineer" in title
