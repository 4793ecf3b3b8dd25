"""The HN history on one method: old pages' approximate times, coverage that says what it
knows, the seed question of mid-2020 answered from the fixture's June 2020 thread, and
facts that follow a comment's edits and removal."""

import pytest

from hiring_signals.landing import write_batch
from hiring_signals.settings import REPO_ROOT, load_settings
from hiring_signals.warehouse import connect_read_only
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


def monthly(settings, month: str) -> tuple:
    with connect_read_only(settings.analytics_db) as con:
        return con.execute(
            "select postings, thread_top_level_comments, completeness, coverage_status "
            "from marts.fct_ml_hiring_monthly where source_name = 'hn_whoishiring' "
            "and classification_method = 'posting' and segment = 'all' "
            "and strftime(posting_month, '%Y-%m') = ?",
            [month],
        ).fetchone()


def test_postings_from_relative_age_pages_carry_their_precision(published):
    with connect_read_only(published.analytics_db) as con:
        precision = dict(
            con.execute(
                "select posted_at_precision, count(*) from marts.fct_job_postings "
                "where source_name = 'hn_whoishiring' and year(posting_month) = 2020 group by 1"
            ).fetchall()
        )
        exact_2025 = con.execute(
            "select distinct posted_at_precision from marts.fct_job_postings "
            "where source_name = 'hn_whoishiring' and year(posting_month) = 2025"
        ).fetchall()
    # The June 2020 page, captured June 30, shows ages such as "28 days ago" only.
    assert precision == {"day": 520}
    assert exact_2025 == [("second",)]


def test_completeness_is_landed_comments_over_the_observed_thread(published):
    postings, thread_size, completeness, status = monthly(published, "2026-01")
    # January 2026: 274 top-level comments when last observed, 6 of them deleted.
    assert (postings, thread_size, completeness, status) == (268, 274, 1.0, "ok")
    # March 2026 was observed on the 15th, 13 days after it opened: still taking comments.
    assert monthly(published, "2026-03")[3] == "partial"


def test_a_month_whose_thread_was_never_observed_is_unknown_not_ok(published_copy):
    settings = published_copy
    # A batch landed before thread sizes were recorded: comments, no `story` record.
    write_batch(
        settings.landing_dir,
        "hn_whoishiring",
        [
            {
                "id": 47600001 + n,
                "by": f"poster{n}",
                "time": 1775052000 + n * 60,  # 2026-04-01
                "text": f"Company {n} | Machine Learning Engineer | Remote",
                "parent": 47600000,
                "thread_id": 47600000,
                "thread_title": "Ask HN: Who is hiring? (April 2026)",
                "thread_month": "2026-04",
            }
            for n in range(3)
        ],
        urls=["test://april"],
        cursor_before={},
        cursor_after={"47600000": 47600003},
        method="thread_comments",
    )

    run_cli("build", check=True)
    run_cli("check", check=True)
    run_cli("publish", check=True)
    answer = run_cli("answer", check=True)

    assert monthly(settings, "2026-04") == (3, None, None, "unknown")
    assert "2026-04 unknown" in " ".join(answer.stdout.split())


def test_the_seed_question_of_mid_2020_is_answered_with_its_coverage(published):
    answer = " ".join(run_cli("answer", "--end", "2020-06", "--verbose", check=True).stdout.split())

    assert "2020-01..2020-06" in answer
    assert "2020-01 missing" in answer and "2020-05 missing" in answer
    for family in ("ML roles", "Deep-learning roles", "LLM roles"):
        assert f"{family}: " in answer
    assert "flagged share (uncorrected)" in answer
    # The thread sizes are real for every month since 2019, so volume has a baseline.
    assert "all comments in the HN threads (real final thread sizes, replies included)" in answer


def test_facts_follow_edits_and_removals_of_the_october_2025_replay(data_dir, monkeypatch):
    days = sorted(p for p in (REPO_ROOT / "sample_data" / "replay_days").iterdir() if p.is_dir())

    def ingest_day(day) -> None:
        monkeypatch.setenv("HS_REPLAY_DIR", str(day))
        run_cli("ingest", "--source", "hn_whoishiring", check=True)

    def facts(db) -> dict:
        with connect_read_only(db) as con:
            rows = con.execute(
                "select comment_id, full_text from marts.fct_job_postings "
                "where source_name = 'hn_whoishiring'"
            ).fetchall()
        return dict(rows)

    for day in days[:3]:  # through Oct 2, 03:38 UTC: 45443163 is live, nothing removed
        ingest_day(day)
    run_cli("build", check=True)
    assert 45443163 in facts(load_settings().build_db)
    for day in days[3:]:  # an incremental build then sees edits, flags and removals
        ingest_day(day)
    run_cli("build", check=True)

    settings = load_settings()
    incremental = facts(settings.build_db)
    assert 45443163 not in incremental, "flagged after it was first landed"
    assert not {45447328, 45439808, 45444407} & set(incremental), "removed from the thread"
    assert "ROLE HAS BEEN FILLED" in incremental[45451487], "the edit of Oct 18 wins"
    assert 45583517 in incremental, "first seen on Oct 15"
    fetched = list((settings.quarantine_dir / "hn_whoishiring").glob("fetch-*"))
    assert len(fetched) == 1, "the 0-byte capture of Nov 1, kept in quarantine"

    run_cli("build", "--full-refresh", check=True)
    assert facts(settings.build_db) == incremental


def test_published_six_month_estimate_is_the_answers_estimate(published):
    from hiring_signals.answer import answer

    result = answer(published.analytics_db)
    now = result.windows[0]
    with connect_read_only(published.analytics_db) as con:
        rows = con.execute(
            "select family, window_start, flagged_share, estimated_share, "
            "estimated_share_ci_low, estimated_share_ci_high from marts.fct_ml_share_estimates "
            "where window_months = 6 and posting_month = ?",
            [now.last],
        ).fetchall()
        months = con.execute(
            "select count(distinct posting_month), count(*) from marts.fct_ml_share_estimates "
            "where window_months = 1"
        ).fetchone()
    assert months[1] == 3 * months[0]  # every month, each family
    published_rows = {r[0]: r[1:] for r in rows}
    assert set(published_rows) == {"ml", "deep_learning", "llm"}
    for e in result.estimated:
        start, flagged, point, low, high = published_rows[e.family]
        assert start.date() == now.first
        assert flagged == pytest.approx(e.now.flagged_share)
        assert point == pytest.approx(e.now.estimated_share)
        assert low <= point <= high
