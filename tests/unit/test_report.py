"""The HTML report escapes every value that comes from the data."""

from datetime import date

from hiring_signals.answer import Answer, Window, compare
from hiring_signals.report import render_html


def test_scraped_text_in_the_report_is_escaped():
    hostile = '<script>alert("x")</script>'
    window = Window(
        "last 6 months",
        date(2025, 10, 1),
        date(2026, 3, 1),
        100,
        {"ml": 10, "deep_learning": 1, "llm": 2},
        6,
        [],
        [],
        [hostile],
    )
    page = render_html(Answer([window], [compare("ml", window, window)]), hostile)
    assert hostile not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script" not in page
