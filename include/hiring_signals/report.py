"""A one-page HTML report of the answer, written after each publish.

Every value that reaches the page goes through ``html.escape``: verdicts are built from
numbers, but months, methods and sources come from the data.
"""

from __future__ import annotations

import html
import os
from datetime import UTC, datetime
from pathlib import Path

from hiring_signals.answer import FAMILIES, Answer, answer, wilson
from hiring_signals.settings import Settings
from hiring_signals.warehouse import connect_read_only


def _share(window, family: str) -> str:
    if window.postings == 0:
        return "-"
    k = window.hits[family]
    low, high = wilson(k, window.postings)
    return f"{k / window.postings:.1%} [{low:.1%}, {high:.1%}]"


def render_html(answer: Answer, snapshot_id: str) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(w.label)}</td><td>{w.first:%Y-%m}..{w.last:%Y-%m}</td>"
        f"<td>{w.postings}</td>"
        + "".join(f"<td>{esc(_share(w, family))}</td>" for family in FAMILIES)
        + f"<td>{esc(', '.join(w.missing + [m + ' (partial)' for m in w.partial]) or 'ok')}</td>"
        f"<td>{esc(', '.join(w.methods))}</td></tr>"
        for w in answer.windows
    )
    verdicts = "".join(
        f"<li>{esc(FAMILIES[c.family])} share, last 6 months vs {esc(c.baseline)}: "
        f"<strong>{esc(c.verdict)}</strong></li>"
        for c in answer.comparisons
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Have ML / deep-learning jobs collapsed?</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto}}
td,th{{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}}</style>
</head><body>
<h1>Have ML / deep-learning jobs collapsed in the last six months?</h1>
<p>Snapshot {esc(snapshot_id)}, generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.</p>
<table><tr><th>window</th><th>months</th><th>postings</th><th>ML share</th>
<th>deep-learning share</th><th>LLM share</th><th>missing / partial months</th>
<th>ingest method</th></tr>{rows}</table>
<ul>{verdicts}</ul>
<p>Shares are of HN "Who is hiring?" postings classified on their title; brackets are
95% Wilson intervals; CI is the 95% interval of the relative change of the share.</p>
</body></html>
"""


def write_report(answer: Answer, snapshot_id: str, reports_dir: Path) -> Path:
    """Write ``answer.html`` atomically (temp file, rename) and return its path."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    target = reports_dir / "answer.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(render_html(answer, snapshot_id), encoding="utf-8")
    os.replace(tmp, target)
    return target


def report_published(settings: Settings) -> Path:
    """The report of the snapshot ``analytics.duckdb`` holds now."""
    with connect_read_only(settings.analytics_db) as con:
        (snapshot_id,) = con.execute(
            "select snapshot_id from meta.snapshots order by published_at desc limit 1"
        ).fetchone()
    return write_report(answer(settings.analytics_db), snapshot_id, settings.data_dir / "reports")
