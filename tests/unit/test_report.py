"""The HTML report escapes every value that comes from the data."""

from datetime import date

from hiring_signals.answer import Answer, Window, compare, volume_changes
from hiring_signals.report import MonthPoint, ReportData, render_html

HOSTILE = '<script>document.title="pwned"</script>'


def hostile_report() -> str:
    window = Window(
        "last 6 months",
        date(2025, 10, 1),
        date(2026, 3, 1),
        100,
        {"ml": 10, "deep_learning": 1, "llm": 2},
        6,
        [],
        [],
        [HOSTILE],
        500,
        6,
    )
    months = [
        MonthPoint(
            date(2026, m, 1),
            100,
            400,
            {"ml": (0.1, 0.05, 0.15), "deep_learning": None, "llm": None},
            m == 2,
        )
        for m in (1, 2, 3)
    ]
    data = ReportData(
        snapshot_id=HOSTILE,
        answer=Answer([window], [compare("ml", window, window)], volume_changes(window, window)),
        months=months,
        skills=[(HOSTILE, 0.2, 0.1)],
        social=[("2026-01", HOSTILE, "reddit", 3, 0.5, 0.0)],
        newest_batch=HOSTILE,
        gate=(True, "2026-03-01"),
    )
    return render_html(data)


def test_scraped_text_in_the_report_is_escaped():
    page = hostile_report()
    assert HOSTILE not in page and "<script" not in page
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in page


def test_report_has_the_verdict_and_both_charts():
    page = hostile_report()
    assert 'id="verdict"' in page and "ML flagged share" in page
    assert page.count("<svg") == 2 and "method break" in page
