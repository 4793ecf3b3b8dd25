"""Board snapshots become posting lifecycles in the warehouse: closed, never deleted."""

from datetime import timedelta

import pytest

from hiring_signals import landing
from hiring_signals.pipeline import ingest_source
from hiring_signals.sources import ats_boards
from hiring_signals.warehouse import build, connect_read_only

pytestmark = pytest.mark.slow


def test_postings_close_when_their_board_drops_them_or_disappears(
    live_settings, replay_server, monkeypatch
):
    today = landing.utc_now()
    for source in ("greenhouse", "lever", "ashby"):
        assert ingest_source(live_settings, source).errors == []
    jobs = replay_server.body("/v1/boards/anthropic/jobs", "content=true")["jobs"]
    dropped = jobs.pop()  # filled the next day
    del replay_server.responses[("/v1/boards/stripe/jobs", "content=true")]  # board removed
    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(landing, "utc_now", lambda: tomorrow)
    monkeypatch.setattr(ats_boards, "utc_now", lambda: tomorrow)
    second = ingest_source(live_settings, "greenhouse")
    assert any("board not found" in n for n in second.notices)

    result = build(live_settings)

    assert result.success, result.failures
    with connect_read_only(live_settings.build_db) as con:
        rows = con.execute(
            "select board, title_text, first_seen_on, last_seen_on, closed_on "
            "from marts.fct_job_postings where source_name = 'greenhouse' "
            "order by board, title_text"
        ).fetchall()
        stock = dict(
            con.execute(
                "select board || ' ' || snapshot_day, open_postings "
                "from marts.fct_ats_open_postings_daily where source_name = 'greenhouse'"
            ).fetchall()
        )
    day0, day1 = today.date(), tomorrow.date()
    closed = {(board, title): closed_on for board, title, _, _, closed_on in rows}
    assert len(rows) == 7, "closed postings stay in the warehouse"
    assert closed[("anthropic", dropped["title"])] == day1
    assert all(closed[("stripe", t)] == day1 for b, t in closed if b == "stripe")
    assert sum(1 for (b, _), c in closed.items() if b == "anthropic" and c is None) == 3
    assert stock == {
        f"anthropic {day0}": 4,
        f"anthropic {day1}": 3,
        f"stripe {day0}": 3,
        f"stripe {day1}": 0,
    }
