"""Real board days become posting lifecycles in the warehouse: closed, never deleted.

The test fixture replays four or five real days (2025-09-10 … 09-14) of four boards
(tests/fixtures/sample/README.md). What each day listed is read from the recorded
answers themselves, so the expected lifecycles do not come from the pipeline.
"""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest

from hiring_signals import landing
from hiring_signals.pipeline import ingest_source
from hiring_signals.sources import ats_boards
from hiring_signals.warehouse import build, connect_read_only
from tests.conftest import REPLAY_DIR

pytestmark = pytest.mark.slow

SOURCE_OF = {"/v1/boards/": "greenhouse", "/posting-api/job-board/": "ashby"}
BOARDS = "('anthropic', 'perplexityai', 'runwayml', 'openai')"


def recorded_days() -> dict[tuple[str, str], dict[date, dict[str, dict]]]:
    """(source, board) -> day -> posting id -> the job as the board listed it that day."""
    days: dict[tuple[str, str], dict[date, dict[str, dict]]] = {}
    with gzip.open(REPLAY_DIR / "ats_boards.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in map(json.loads, lines):
            prefix = next(p for p in SOURCE_OF if line["path"].startswith(p))
            board = line["path"].removeprefix(prefix).split("/")[0]
            day = parsedate_to_datetime(line["headers"]["Date"]).date()
            jobs = {str(job["id"]): job for job in line["body"]["jobs"]}
            days.setdefault((SOURCE_OF[prefix], board), {})[day] = jobs
    return days


def expected_lifecycles() -> dict[str, tuple[date, date, date | None]]:
    """posting id -> (first seen, last seen, closed on: the first recorded day after the
    last one that listed it, None while still listed on the last day)."""
    out = {}
    for (source, board), by_day in recorded_days().items():
        days = sorted(by_day)
        for job_id in {j for jobs in by_day.values() for j in jobs}:
            listed = [d for d in days if job_id in by_day[d]]
            later = [d for d in days if d > listed[-1]]
            out[f"{source}-{board}-{job_id}"] = (listed[0], listed[-1], later[0] if later else None)
    return out


def test_postings_that_vanish_from_a_real_board_get_that_day_as_closed_on(published):
    expected = expected_lifecycles()
    closures = sorted(c for _, _, c in expected.values() if c)
    assert len(closures) == 15, "the fixture's days close 15 postings for good"

    with connect_read_only(published.analytics_db) as con:
        rows = con.execute(
            f"select posting_id, first_seen_on, last_seen_on, closed_on "
            f"from marts.fct_job_postings where board in {BOARDS}"
        ).fetchall()
        stock = {
            (source, board, day): (open_, opened, closed)
            for source, board, day, open_, opened, closed in con.execute(
                "select source_name, board, snapshot_day, open_postings, opened_postings, "
                f"closed_postings from marts.fct_ats_open_postings_daily where board in {BOARDS}"
            ).fetchall()
        }

    assert {r[0]: tuple(r[1:]) for r in rows} == expected, "closed postings stay, dated"
    # The stock is what each day's answer listed, and moves by what appeared and left.
    for (source, board), by_day in recorded_days().items():
        days = sorted(by_day)
        for before, day in zip([None, *days], days, strict=False):
            gone = set(by_day[before]) - set(by_day[day]) if before else set()
            new = set(by_day[day]) - set(by_day[before]) if before else set(by_day[day])
            assert stock[(source, board, day)] == (len(by_day[day]), len(new), len(gone)), (
                board,
                day,
            )


def test_a_posting_whose_record_changed_keeps_one_row_with_its_last_values(published):
    by_day = recorded_days()[("greenhouse", "runwayml")]
    first, *_, last = sorted(by_day)
    changed = [
        job_id
        for job_id, job in by_day[last].items()
        if job_id in by_day[first] and by_day[first][job_id]["title"] != job["title"]
    ]
    assert changed == ["4241587005"], "one Runway posting was retitled on 2025-09-12"
    old, new = by_day[first][changed[0]], by_day[last][changed[0]]

    with connect_read_only(published.analytics_db) as con:
        rows = con.execute(
            "select title_text, first_seen_on, last_seen_on, closed_on "
            "from marts.fct_job_postings where posting_id = ?",
            [f"greenhouse-runwayml-{changed[0]}"],
        ).fetchall()
        titles = {
            t
            for (t,) in con.execute(
                "select title_text from marts.fct_job_postings where board = 'runwayml'"
            ).fetchall()
        }

    assert rows == [(new["title"], first, last, None)]
    assert old["title"] not in titles


def test_a_posting_that_leaves_and_comes_back_is_one_row_and_not_open_in_between(published):
    by_day = recorded_days()[("greenhouse", "anthropic")]
    listed = {day: "4910806008" in jobs for day, jobs in sorted(by_day.items())}
    assert list(listed.values()) == [True, True, False, False, True]

    with connect_read_only(published.analytics_db) as con:
        rows = con.execute(
            "select first_seen_on, last_seen_on, closed_on from marts.fct_job_postings "
            "where posting_id = 'greenhouse-anthropic-4910806008'"
        ).fetchall()

    with connect_read_only(published.build_db) as con:  # intermediate models: the build
        spells = con.execute(
            "select spell_number, opened_on, last_seen_on, closed_on "
            "from intermediate.int_ats_posting_spells "
            "where posting_id = 'greenhouse-anthropic-4910806008' order by spell_number"
        ).fetchall()

    days = sorted(by_day)
    assert rows == [(days[0], days[4], None)]
    assert spells == [(1, days[0], days[1], days[2]), (2, days[4], days[4], None)]


def test_company_day_mart_gives_ai_lab_shares_of_open_postings(published):
    with connect_read_only(published.analytics_db) as con:
        rows = con.execute(
            "select company, open_postings, open_ml_postings, flagged_ml_share, "
            "flagged_deep_learning_share, flagged_llm_share "
            "from marts.fct_ats_company_postings_daily "
            "where company_segment = 'ai_lab' and snapshot_day = date '2025-09-13'"
        ).fetchall()
    by_company = {r[0]: r[1:] for r in rows}
    assert set(by_company) == {"Anthropic", "OpenAI", "Perplexity AI", "Runway"}
    assert by_company["OpenAI"][0] == 313 and by_company["Perplexity AI"][0] == 75
    assert by_company["Anthropic"][0] == 175
    for open_, ml, ml_share, dl_share, llm_share in by_company.values():
        assert ml_share == pytest.approx(ml / open_)
        assert 0 <= dl_share <= ml_share and 0 <= llm_share <= ml_share


def test_postings_close_when_their_board_disappears(live_settings, replay_server, monkeypatch):
    for source in ("greenhouse", "lever", "ashby"):
        assert ingest_source(live_settings, source).errors == []
    del replay_server.responses[("/v1/boards/runwayml/jobs", "content=true")]  # board removed
    tomorrow = landing.utc_now() + timedelta(days=1)
    monkeypatch.setattr(landing, "utc_now", lambda: tomorrow)
    monkeypatch.setattr(ats_boards, "utc_now", lambda: tomorrow)
    replay_server.now = format_datetime(tomorrow.replace(microsecond=0), usegmt=True)
    second = ingest_source(live_settings, "greenhouse")
    assert any("greenhouse:runwayml: board not found" in n for n in second.notices)

    result = build(live_settings)

    assert result.success, result.failures
    with connect_read_only(live_settings.build_db) as con:
        closed = con.execute(
            "select closed_on, count(*) from marts.fct_job_postings "
            "where board = 'runwayml' group by closed_on"
        ).fetchall()
        stock = con.execute(
            "select snapshot_day, open_postings from marts.fct_ats_open_postings_daily "
            "where board = 'runwayml' and open_postings > 0 order by snapshot_day"
        ).fetchall()
    assert closed == [(tomorrow.date(), 16)], "the newest recorded day's 16 postings close"
    assert stock[-1][1] == 16 and stock[-1][0] < tomorrow.date()
