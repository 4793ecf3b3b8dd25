"""The published report, opened in a real headless Chromium at phone and desktop widths.

Driven over the DevTools protocol (Chromium's own remote debugging, on loopback), because
a plain ``--window-size`` cannot go below 500 px in headless mode: the page gets an
emulated 375 or 1440 px viewport, its network requests are recorded, a mark of each chart
is hovered and the page is photographed whole.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from websockets.sync.client import connect

from hiring_signals.answer_view import ROLE_NAMES
from hiring_signals.warehouse import connect_read_only
from tests.unit.test_report import hostile_report

pytestmark = pytest.mark.slow
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHARTS = ["share-chart", "volume-chart", "skills-chart", "quality-chart"]
WIDTHS = [375, 1440]
# Marks of a chart: the paths, rects and lines inside Vega's mark groups (axes and legends
# are groups of their own, with role-axis / role-legend, and are not counted).
MARKS = (
    ".role-mark:not([class*=role-axis]):not([class*=role-legend]):not(.role-title) > path,"
    ".role-mark.mark-rect > path, .role-mark.mark-rule > line, .role-mark.mark-symbol > path"
)


class Page:
    """One Chromium tab over the DevTools protocol; records the page's requests."""

    def __init__(self, ws_url: str) -> None:
        self.ws = connect(ws_url, max_size=None, open_timeout=30)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def send(self, method: str, timeout_s: float = 60, **params) -> dict:
        call = next(self.ids)
        self.ws.send(json.dumps({"id": call, "method": method, "params": params}))
        deadline = time.monotonic() + timeout_s
        while True:
            message = json.loads(self.ws.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            if message.get("id") == call:
                assert "error" not in message, message
                return message["result"]
            self.events.append(message)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout_s: float = 30) -> float:
        start = time.monotonic()
        while not self.evaluate(expression):
            assert time.monotonic() - start < timeout_s, f"timed out waiting for {expression}"
            time.sleep(0.05)
        return time.monotonic() - start

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def open(self, url: str, width: int) -> float:
        """Load ``url`` at ``width`` CSS px; seconds until every chart has rendered."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=width < 500,
        )
        self.send("Network.enable")
        self.send("Page.enable")
        start = time.monotonic()
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'")
        self.wait_for(f"document.querySelectorAll('[data-rendered=true]').length === {len(CHARTS)}")
        return time.monotonic() - start

    def hover(self, selector: str) -> str:
        """Move the mouse onto the first element matching ``selector``; the tooltip text."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).scrollIntoView()")
        box = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=box[0], y=box[1])
        self.wait_for(
            "(() => { const t = document.getElementById('vg-tooltip-element');"
            " return t && t.classList.contains('visible') && t.textContent.length > 0; })()",
            timeout_s=5,
        )
        text = self.evaluate("document.getElementById('vg-tooltip-element').textContent")
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=0, y=0)
        return text

    def screenshot(self, path: Path) -> Path:
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.send(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


@contextmanager
def chromium(tmp_path: Path) -> Iterator[Page]:
    binary = shutil.which("chromium")
    assert binary, "Chromium is required (Debian package chromium; .ci/run installs it)"
    profile = tmp_path / "profile"
    process = subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            assert time.monotonic() < deadline, "Chromium did not open its DevTools port"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as r:
            tab = next(t for t in json.load(r) if t["type"] == "page")
        page = Page(tab["webSocketDebuggerUrl"])
        try:
            yield page
        finally:
            page.ws.close()
    finally:
        process.kill()
        process.wait()


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


@pytest.mark.parametrize("width", WIDTHS)
def test_report_renders_the_headline_and_every_chart_at_phone_and_desktop_width(
    published_run, tmp_path, width
):
    page_file = published_run.data_dir / "reports" / "answer.html"
    assert f"report: {page_file}" in published_run.result.stdout
    with connect_read_only(published_run.data_dir / "analytics.duckdb") as con:
        expected = con.execute(
            "select family, value_now, value_before from marts.fct_hiring_verdict "
            "where measure = 'estimated_share' and baseline = 'previous 6 months' "
            "order by family"
        ).fetchall()
    assert len(expected) == 3

    with chromium(tmp_path) as page:
        load_s = page.open(page_file.as_uri(), width)
        headlines = page.evaluate(
            "[...document.querySelectorAll('#verdict .headline')].map(p => p.textContent)"
        )
        for family, now, before in expected:
            assert any(
                h.startswith(f"{ROLE_NAMES[family]}: {pct(now)} of postings")
                and f"vs {pct(before)} six months earlier" in h
                for h in headlines
            ), (family, headlines)
        for chart in CHARTS:
            svg = page.evaluate(
                f"(() => {{ const s = document.querySelector('#{chart} svg');"
                f" return s && [s.getBoundingClientRect().width,"
                f" s.querySelectorAll({json.dumps(MARKS)}).length]; }})()"
            )
            assert svg, f"{chart} drew no SVG"
            chart_width, marks = svg
            assert marks > 0, f"{chart} has no marks"
            assert chart_width <= width, f"{chart} is {chart_width} px wide in {width} px"
            tooltip = page.hover(f"#{chart} .mark-symbol > path, #{chart} .mark-rect > path")
            assert ":" in tooltip or len(tooltip) > 3, (chart, tooltip)
        # The table may scroll inside its box; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot = page.screenshot(tmp_path / f"report-{width}.png")
        outside = [u for u in page.requests() if not u.startswith(("file:", "data:"))]
    assert not outside, f"the report made network requests: {outside}"
    assert shot.stat().st_size > 20_000
    print(f"report {page_file.stat().st_size:,} bytes, {width} px: charts drawn in {load_s:.2f} s")


def test_hostile_text_in_the_report_never_runs_as_script(tmp_path):
    escaped = tmp_path / "hostile.html"
    escaped.write_text(hostile_report())
    # Were the template ever to let a scraped <script> through, the page's
    # Content-Security-Policy (only its own scripts, by hash) would still block it.
    raw = tmp_path / "raw.html"
    head, tail = hostile_report().rsplit("</body>", 1)
    raw.write_text(f'{head}<script>document.title="pwned"</script></body>{tail}')
    with chromium(tmp_path) as page:
        for path in (escaped, raw):
            page.open(path.as_uri(), 1440)
            assert page.evaluate("document.title") == "Have ML / deep-learning jobs collapsed?"
            assert "pwned" in page.evaluate("document.body.innerText")
        outside = [u for u in page.requests() if not u.startswith(("file:", "data:"))]
    assert not outside
