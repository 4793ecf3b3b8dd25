"""The HTML report: the answer view through the template, every data string escaped."""

import json
import re

from hiring_signals.report import charts, render_html
from tests.unit.test_answer_view import HOSTILE, sample_view


def hostile_report() -> str:
    return render_html(sample_view(HOSTILE))


def test_scraped_text_in_the_report_is_escaped():
    page = hostile_report()
    assert HOSTILE not in page
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in page
    # Inside the chart specs it is a JSON string whose < and > cannot end the script.
    assert "\\u003cscript\\u003edocument.title" in page
    # Only the report's own scripts: the bundle, the embed code and the specs.
    assert len(re.findall(r"<script\b", page)) == 2 + len(charts(sample_view()))


def test_the_report_has_the_headline_table_and_four_charts_with_csv():
    page = hostile_report()
    assert 'id="verdict"' in page and "Deep-learning roles: 4.1% of postings" in page
    specs = re.findall(r'<script type="application/json" data-chart="([a-z-]+)">', page)
    assert specs == ["share-chart", "volume-chart", "skills-chart", "quality-chart"]
    assert page.count('download="') == 4 and page.count('href="data:text/csv') == 4
    assert "Content-Security-Policy" in page and "default-src &#39;none&#39;" in page


def test_every_chart_has_a_title_axis_titles_and_tooltips():
    for chart in charts(sample_view()):
        spec = json.dumps(chart["spec"])
        assert chart["spec"]["title"]["text"]
        assert '"tooltip"' in spec and '"title"' in spec
        assert chart["spec"]["width"] == "container"
