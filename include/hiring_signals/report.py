"""A one-page, self-contained HTML report of the answer, written after each publish.

Charts are inline SVG (no script, no network); every string from the data goes through
``html.escape``. Sections: the verdict (mix and volume), monthly ML / deep-learning / LLM
shares with their 95% bands, postings a month against the real thread sizes, rising and
falling skills, the social-signal series, data freshness and the quality-gate status.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from hiring_signals.answer import FAMILIES, VERDICT_METHOD, Answer, answer, wilson
from hiring_signals.evaluation import recall_note
from hiring_signals.settings import Settings
from hiring_signals.warehouse import connect_read_only

esc = html.escape
COLOURS = {"ml": "#1f77b4", "deep_learning": "#d62728", "llm": "#2ca02c"}
WIDTH, HEIGHT, PAD = 760, 240, 40


@dataclass(frozen=True)
class MonthPoint:
    month: date
    postings: int
    thread_comments: int | None
    shares: dict[str, tuple[float, float, float] | None]  # share, low, high
    method_break: bool


@dataclass(frozen=True)
class ReportData:
    snapshot_id: str
    answer: Answer
    months: list[MonthPoint]
    skills: list[tuple[str, float, float]]  # skill, share now, share before
    social: list[tuple[str, str, str, int, float, float]]
    newest_batch: str | None
    gate: tuple[bool, str] | None
    recall_note: str | None = None  # how much of each family the verdict's flags find


def _x(i: int, n: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * (i / max(n - 1, 1))


def _y(value: float, top: float) -> float:
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top if top else 0)


def share_chart(months: list[MonthPoint]) -> str:
    """Monthly shares as lines with their 95% band; gaps where a month has no data."""
    top = max((s[2] for m in months for s in m.shares.values() if s), default=0.1) * 1.1
    parts = []
    for family, colour in COLOURS.items():
        segment: list[tuple[int, tuple[float, float, float]]] = []
        segments = []
        for i, m in enumerate(months):
            if m.shares.get(family):
                segment.append((i, m.shares[family]))
            elif segment:
                segments.append(segment)
                segment = []
        if segment:
            segments.append(segment)
        for seg in segments:
            upper = [f"{_x(i, len(months)):.1f},{_y(s[2], top):.1f}" for i, s in seg]
            lower = [f"{_x(i, len(months)):.1f},{_y(s[1], top):.1f}" for i, s in reversed(seg)]
            line = [f"{_x(i, len(months)):.1f},{_y(s[0], top):.1f}" for i, s in seg]
            parts.append(
                f'<polygon points="{" ".join(upper + lower)}" fill="{colour}" '
                'fill-opacity="0.15" stroke="none"/>'
            )
            parts.append(
                f'<polyline points="{" ".join(line)}" fill="none" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
    for i, m in enumerate(months):
        if m.method_break:
            x = _x(i, len(months))
            parts.append(
                f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{HEIGHT - PAD}" '
                'stroke="#888" stroke-dasharray="4 3"/>'
            )
            parts.append(f'<text x="{x + 3:.1f}" y="{PAD + 10}" font-size="10">method break</text>')
    return _frame(parts, months, f"{top:.0%}")


def volume_chart(months: list[MonthPoint]) -> str:
    """Postings landed a month (bars) against the thread's real top-level comments (line)."""
    top = max([m.postings for m in months] + [m.thread_comments or 0 for m in months]) * 1.1
    step = (WIDTH - 2 * PAD) / max(len(months), 1)
    parts = [
        f'<rect x="{_x(i, len(months)) - step * 0.35:.1f}" y="{_y(m.postings, top):.1f}" '
        f'width="{step * 0.7:.1f}" height="{HEIGHT - PAD - _y(m.postings, top):.1f}" '
        'fill="#9ecae1"/>'
        for i, m in enumerate(months)
    ]
    line = [
        f"{_x(i, len(months)):.1f},{_y(m.thread_comments, top):.1f}"
        for i, m in enumerate(months)
        if m.thread_comments
    ]
    parts.append(
        f'<polyline points="{" ".join(line)}" fill="none" stroke="#333" stroke-width="1.5"/>'
    )
    return _frame(parts, months, f"{top:.0f}")


def _frame(parts: list[str], months: list[MonthPoint], top_label: str) -> str:
    ticks = [
        f'<text x="{_x(i, len(months)):.1f}" y="{HEIGHT - PAD + 14}" font-size="10" '
        f'text-anchor="middle">{m.month:%Y-%m}</text>'
        for i, m in enumerate(months)
        if m.month.month in (1, 7)
    ]
    axes = (
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#000"/><text x="4" y="{PAD}" font-size="10">{esc(top_label)}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img">{axes}{"".join(parts)}{"".join(ticks)}</svg>'
    )


def load_report_data(settings: Settings) -> ReportData:
    result = answer(settings.analytics_db)
    now_first, now_last = result.windows[0].first, result.windows[0].last
    before_first = result.windows[1].first
    with connect_read_only(settings.analytics_db) as con:
        (snapshot_id,) = con.execute(
            "select snapshot_id from meta.snapshots order by published_at desc limit 1"
        ).fetchone()
        rows = con.execute(
            """
            select posting_month, postings, thread_top_level_comments, is_method_break,
                   ml_share, ml_share_ci_low, ml_share_ci_high,
                   deep_learning_share, deep_learning_share_ci_low, deep_learning_share_ci_high,
                   llm_share, llm_share_ci_low, llm_share_ci_high
            from marts.fct_ml_hiring_monthly
            where source_name = 'hn_whoishiring' and segment = 'all' and classification_method = ?
            order by posting_month
            """,
            [VERDICT_METHOD],
        ).fetchall()
        skills = con.execute(
            """
            with windows as (
                select skill,
                       sum(postings_with_skill) filter (where posting_month >= ?) as now_k,
                       sum(postings_with_skill) filter (where posting_month < ?) as before_k
                from marts.fct_skill_trends_monthly
                where source_name = 'hn_whoishiring' and posting_month between ? and ?
                group by skill
            ),
            totals as (
                select sum(postings) filter (where posting_month >= ?) as now_n,
                       sum(postings) filter (where posting_month < ?) as before_n
                from marts.fct_ml_hiring_monthly
                where source_name = 'hn_whoishiring' and segment = 'all'
                    and classification_method = ? and posting_month between ? and ?
            )
            -- A change needs postings in both windows (a first install has one).
            select skill, coalesce(now_k, 0) / now_n, coalesce(before_k, 0) / before_n
            from windows, totals
            where totals.now_n > 0 and totals.before_n > 0
            order by skill
            """,
            [
                *(now_first, now_first, before_first, now_last),
                *(now_first, now_first, VERDICT_METHOD, before_first, now_last),
            ],
        ).fetchall()
        social = con.execute(
            """
            select strftime(item_month, '%Y-%m'), topic, source_name, items,
                   share_mentioning_layoffs, share_mentioning_hiring
            from marts.fct_social_signal_monthly order by 1, 2, 3
            """
        ).fetchall()
        (newest,) = con.execute("select max(fetched_at) from marts.dim_batches").fetchone()
    months = [
        MonthPoint(
            r[0],
            r[1],
            r[2],
            {
                f: (r[4 + 3 * i], r[5 + 3 * i], r[6 + 3 * i]) if r[4 + 3 * i] is not None else None
                for i, f in enumerate(FAMILIES)
            },
            r[3],
        )
        for r in rows
    ]
    gates = sorted(settings.quality_dir.glob("gate-*.json"))
    gate = None
    if gates:
        latest = json.loads(gates[-1].read_text())
        gate = (bool(latest["success"]), str(latest["validated_at"]))
    return ReportData(
        snapshot_id,
        result,
        months,
        skills,
        social,
        str(newest) if newest else None,
        gate,
        recall_note(settings.analytics_db),
    )


def render_html(data: ReportData) -> str:
    result = data.answer
    verdicts = "".join(
        f"<li>estimated true {esc(FAMILIES[e.family])} share, last 6 months vs "
        f"{esc(e.baseline)}: <strong>{esc(e.verdict)}</strong></li>"
        for e in result.estimated
    ) + "".join(
        f"<li>{esc(FAMILIES[c.family])} flagged share, last 6 months vs {esc(c.baseline)}: "
        f"{esc(c.verdict)}</li>"
        for c in result.comparisons
    )
    volumes = "".join(
        f"<li>{esc(v.what)}, last 6 months vs {esc(v.baseline)}: {esc(v.verdict)}</li>"
        for v in result.volumes
    )
    windows = "".join(
        f"<tr><td>{esc(w.label)}</td><td>{w.first:%Y-%m}..{w.last:%Y-%m}</td>"
        f"<td>{w.postings}</td>"
        + "".join(f"<td>{esc(_share(w, family))}</td>" for family in FAMILIES)
        + f"<td>{esc(w.gaps or 'ok')}</td>"
        f"<td>{esc(', '.join(w.methods))}</td></tr>"
        for w in result.windows
    )
    moved = sorted(data.skills, key=lambda s: s[1] - s[2])
    skill_rows = (
        "".join(
            f"<tr><td>{esc(name)}</td><td>{now:.1%}</td><td>{before:.1%}</td>"
            f"<td>{(now - before) * 100:+.1f} pts</td></tr>"
            for name, now, before in moved[-5:][::-1] + moved[:5]
        )
        or '<tr><td colspan="4">no postings in one of the two windows</td></tr>'
    )
    social_rows = "".join(
        f"<tr><td>{esc(m)}</td><td>{esc(t)}</td><td>{esc(s)}</td><td>{n}</td>"
        f"<td>{lay:.0%}</td><td>{hire:.0%}</td></tr>"
        for m, t, s, n, lay, hire in data.social
    )
    gate = (
        "not run"
        if data.gate is None
        else f"{'passed' if data.gate[0] else 'FAILED'} at {data.gate[1]}"
    )
    legend = " ".join(
        f'<span style="color:{c}">&#9632; {esc(FAMILIES[f])}</span>' for f, c in COLOURS.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Have ML / deep-learning jobs collapsed?</title>
<style>body{{font-family:sans-serif;max-width:62rem;margin:2rem auto;color:#222}}
td,th{{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}}
.meta{{color:#555;font-size:.9rem}}</style>
</head><body>
<h1>Have ML / deep-learning jobs collapsed in the last six months?</h1>
<p class="meta">Snapshot {esc(data.snapshot_id)} &middot; newest data fetched
{esc(data.newest_batch or "never")} &middot; quality gate {esc(gate)} &middot; generated
{datetime.now(UTC):%Y-%m-%d %H:%M} UTC</p>
<h2>Verdict</h2>
<ul id="verdict">{verdicts}</ul>
<h3>Hiring volume (counts a month)</h3>
<ul>{volumes}</ul>
<table><tr><th>window</th><th>months</th><th>postings</th><th>ML share</th>
<th>deep-learning share</th><th>LLM share</th><th>missing / partial / unknown months</th>
<th>ingest method</th></tr>{windows}</table>
<h2>Monthly shares, HN "Who is hiring?" (posting classifier, 95% bands)</h2>
<p>{legend}</p>
<figure id="share-chart">{share_chart(data.months)}</figure>
<h2>Postings a month: landed (bars) and the thread's top-level comments as last observed (line)</h2>
<figure id="volume-chart">{volume_chart(data.months)}</figure>
<h2>Rising and falling skills (share of postings, last 6 months vs the 6 before)</h2>
<p class="meta">Skills come from the full text of every thread comment.</p>
<table><tr><th>skill</th><th>last 6 months</th><th>previous 6</th><th>change</th></tr>
{skill_rows}</table>
<h2>Social signal</h2>
<table><tr><th>month</th><th>topic</th><th>source</th><th>items</th><th>mention layoffs</th>
<th>mention hiring</th></tr>{social_rows}</table>
<p class="meta">Shares are of postings the posting classifier flags on their full text,
every month the same way; brackets and bands are 95% Wilson intervals; CI is the 95%
interval of the relative change.</p>
{f'<p class="meta" id="classifier-recall">{esc(data.recall_note)}</p>' if data.recall_note else ""}
</body></html>
"""


def _share(window, family: str) -> str:
    if window.postings == 0:
        return "-"
    k = window.hits[family]
    low, high = wilson(k, window.postings)
    return f"{k / window.postings:.1%} [{low:.1%}, {high:.1%}]"


def write_report(data: ReportData, reports_dir: Path) -> Path:
    """Write ``answer.html`` atomically (temp file, rename) and return its path."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    target = reports_dir / "answer.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(render_html(data), encoding="utf-8")
    os.replace(tmp, target)
    return target


def report_published(settings: Settings) -> Path:
    """The report of the snapshot ``analytics.duckdb`` holds now."""
    return write_report(load_report_data(settings), settings.data_dir / "reports")
