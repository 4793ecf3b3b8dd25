"""The answer view and its terminal and JSON renderings."""

import io
import json
from datetime import date

import duckdb
import jsonschema
from rich.console import Console

from hiring_signals.answer_terminal import print_answer, to_json
from hiring_signals.answer_view import (
    SCHEMA_FILE,
    AnswerView,
    Comparison,
    FamilyAnswer,
    Gate,
    Interval,
    Quality,
    SharePoint,
    SkillChange,
    SocialRow,
    VolumeAnswer,
    VolumePoint,
    WindowInfo,
    _share_series,
    headline,
    seasonally_adjusted,
)

HOSTILE = '<script>document.title="pwned"</script>'


def comparison(baseline: str, before: float, diff: float, p: float) -> Comparison:
    verdict = "no significant change" if p >= 0.05 else "a significant decline"
    return Comparison(
        baseline=baseline,
        before=Interval(value=before, low=before - 0.01, high=before + 0.01),
        change=Interval(value=diff, low=diff - 0.009, high=diff + 0.009),
        p_value=p,
        verdict=verdict,
        detail=f"{HOSTILE} the mart's sentence, {verdict}",
    )


def family(key: str, name: str, now: float) -> FamilyAnswer:
    f = FamilyAnswer(
        family=key,
        name=name,
        measure="estimated_share",
        headline="",
        now=Interval(value=now, low=now - 0.009, high=now + 0.009),
        comparisons=[
            comparison("previous 6 months", now + 0.005, -0.005, 0.4),
            comparison("a year earlier", now + 0.02, -0.02, 0.01),
        ],
        flagged_now=Interval(value=now + 0.01, low=now, high=now + 0.02),
        flagged=[comparison("previous 6 months", now + 0.015, -0.005, 0.5)],
    )
    return f.model_copy(update={"headline": headline(f)})


def sample_view(text: str = HOSTILE) -> AnswerView:
    """A view with scraped ``text`` wherever the data can put a string."""
    families = [
        family("ml", "ML roles", 0.2),
        family("deep_learning", "Deep-learning roles", 0.041),
        family("llm", "LLM roles", 0.12),
    ]
    months = [date(2025, m, 1) for m in range(1, 13)]
    return AnswerView(
        source="hn_whoishiring",
        snapshot_id=text,
        published_at="2026-03-02 10:00:00+00:00",
        gate=Gate(run_id="gate-1", success=True, validated_at="2026-03-02T09:59:00+00:00"),
        newest_batch=text,
        headlines=[f.headline for f in families],
        families=families,
        windows=[
            WindowInfo(
                label="last 6 months",
                first_month=date(2025, 7, 1),
                last_month=date(2025, 12, 1),
                postings=1200,
                gaps=f"{text} missing",
            )
        ],
        volumes=[
            VolumeAnswer(
                subject=text,
                baseline="previous 6 months",
                per_month_now=10.0,
                per_month_before=11.0,
                verdict="no significant change",
            )
        ],
        coverage_notes=[f"last 6 months: {text} missing"],
        method_notes=["Shares are estimated true shares.", text],
        share_series=[
            SharePoint(
                month=m,
                family=f,
                postings=300,
                flagged_share=0.1,
                estimated_share=0.09,
                low=0.07,
                high=0.11,
            )
            for m in months
            if m.month != 5  # a month without data
            for f in ("ml", "deep_learning", "llm")
        ],
        volume_series=[
            VolumePoint(
                month=m,
                postings=0 if m.month == 5 else 300,
                thread_comments=400,
                coverage="missing" if m.month == 5 else "ok",
                method_break=False,
            )
            for m in months
        ],
        skills_method="thread_comments",
        skills=[SkillChange(skill=text, share_now=0.2, share_before=0.1, change=0.1)],
        quality=[
            Quality(
                family=f,
                labelled=96,
                precision=Interval(value=0.8, low=0.6, high=0.9),
                recall=Interval(value=0.7, low=0.5, high=0.85),
            )
            for f in ("ml", "deep_learning", "llm")
        ],
        social=[
            SocialRow(
                month="2026-01",
                topic=text,
                source="reddit",
                items=3,
                share_mentioning_layoffs=0.5,
                share_mentioning_hiring=0.0,
            )
        ],
    )


def printed(view: AnswerView, verbose: bool = False) -> str:
    out = io.StringIO()
    print_answer(Console(file=out, width=100, highlight=False), view, verbose)
    return out.getvalue()


def test_the_headline_is_one_plain_sentence():
    assert sample_view().headlines[1] == (
        "Deep-learning roles: 4.1% of postings (3.2\u20135.0%) vs 4.6% six months earlier: "
        "no significant change"
    )


def test_the_terminal_answer_fits_30_lines_at_100_columns_and_verbose_shows_the_rest():
    short, full = printed(sample_view()), printed(sample_view(), verbose=True)
    assert len(short.splitlines()) <= 30
    assert max(len(line) for line in short.splitlines()) <= 100
    assert "Deep-learning roles: 4.1% of postings" in short
    assert "a significant decline" in full and "flagged share" in full
    assert "the mart's sentence" not in short and "the mart's sentence" in full


def test_scraped_text_prints_literally():
    text = "[red]x[/red]\x1b]0;pwned\x07"
    out = printed(sample_view(text), verbose=True)
    assert "[red]x[/red]" in out and "\x1b]0" not in out and "\\x1b]0;pwned\\x07" in out


def test_the_json_validates_against_the_documented_schema():
    schema = json.loads(SCHEMA_FILE.read_text())
    assert schema == AnswerView.model_json_schema(), (
        "docs/answer.schema.json is stale: python -m hiring_signals.answer_view"
    )
    document = json.loads(to_json(sample_view()))
    jsonschema.validate(document, schema)
    assert document["families"][1]["now"]["value"] == 0.041


def test_the_share_series_reads_the_monthly_rows_not_the_windows():
    con = duckdb.connect()
    con.execute("create schema marts")
    columns = (
        "posting_month date, family varchar, postings int, flagged_share double, "
        "estimated_share double, estimated_share_ci_low double, estimated_share_ci_high double, "
        "window_months int"
    )
    con.execute(f"create table marts.fct_ml_share_estimates ({columns})")
    con.execute(
        "insert into marts.fct_ml_share_estimates values "
        "('2026-01-01', 'ml', 10, .1, .1, 0, .2, 1), ('2026-01-01', 'ml', 60, .1, .1, 0, .2, 6), "
        "('2026-01-01', 'ml', 120, .1, .1, 0, .2, 12)"
    )
    assert [p.postings for p in _share_series(con)] == [10]


def test_seasonal_adjustment_removes_a_fixed_monthly_pattern():
    months = [date(2019 + i // 12, i % 12 + 1, 1) for i in range(48)]
    pattern = [1.2, 0.8, 1.0, 1.1, 0.9, 1.0, 1.0, 0.9, 1.1, 1.0, 1.0, 1.0]
    values = [500 * pattern[m.month - 1] for m in months]
    adjusted = seasonally_adjusted(months, values)
    inner = [a for a in adjusted if a is not None]
    assert len(inner) == 48 and max(inner) - min(inner) < 1e-6
    # Too short a history (or gaps everywhere) gives no adjustment rather than a guess.
    assert seasonally_adjusted(months[:20], values[:20]) == [None] * 20
