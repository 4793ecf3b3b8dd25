"""The HTML report: the answer view through a jinja2 template (autoescape), with
interactive Vega-Lite charts built by altair.

The file is self-contained and works offline: Vega, Vega-Lite and vega-embed are inlined
from the pinned ``vl-convert-python`` package, chart data is embedded in each spec, and a
Content-Security-Policy allows only the report's own two scripts (by hash), no requests.
Every string from the data is escaped by the template or, inside the chart specs, by
jinja's ``tojson`` (``<``, ``>``, ``&`` and ``'`` as ``\\u`` escapes).
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import altair as alt
import jinja2
import pandas as pd
from markupsafe import Markup

from hiring_signals.answer import FAMILIES
from hiring_signals.answer_view import AnswerView, change_text, load_view, pct, with_interval
from hiring_signals.settings import Settings

TEMPLATES = Path(__file__).with_name("templates")
COLOURS = {"ML": "#1f77b4", "deep learning": "#d62728", "LLM": "#2ca02c"}
HEIGHT = 260
# Runs after the bundle: draws each chart from its JSON spec (SVG, so marks are in the DOM).
EMBED_JS = """
for (const node of document.querySelectorAll("script[data-chart]")) {
  const spec = JSON.parse(node.textContent);
  window.vegaEmbed("#" + node.dataset.chart, spec, {renderer: "svg", actions: false})
    .then(() => document.getElementById(node.dataset.chart).dataset.rendered = "true")
    .catch((e) => { document.getElementById(node.dataset.chart).textContent = String(e); });
}
"""


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (from ``vl-convert-python``)."""
    import vl_convert

    bundle = vl_convert.javascript_bundle()
    if "</script" in bundle.lower():  # would end the inline script early
        raise ValueError("the Vega bundle contains </script")
    return bundle


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def _csv_link(frame: pd.DataFrame) -> str:
    out = io.StringIO()
    frame.to_csv(out, index=False, quoting=csv.QUOTE_NONNUMERIC)
    return "data:text/csv;charset=utf-8," + quote(out.getvalue())


def _base(chart: alt.Chart | alt.LayerChart, title: str, subtitle: list[str]) -> dict:
    spec = (
        chart.properties(
            width="container",
            height=HEIGHT,
            title=alt.TitleParams(title, subtitle=subtitle, anchor="start"),
        )
        .configure_legend(orient="bottom", columns=3)
        .configure_axis(labelFontSize=11, titleFontSize=12)
        .configure_title(fontSize=14, subtitleFontSize=11)
        # A month without data breaks a line instead of bridging it.
        .configure_mark(invalid="break-paths-show-domains")
        .to_dict()
    )
    spec.pop("$schema", None)
    return spec


def share_frame(view: AnswerView) -> pd.DataFrame:
    rows = [
        {
            "month": p.month.isoformat()[:7],
            "family": FAMILIES[p.family],
            "estimated_share": p.estimated_share,
            "ci_low": p.low,
            "ci_high": p.high,
            "flagged_share": p.flagged_share,
            "postings": p.postings,
        }
        for p in view.share_series
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "month",
            "family",
            "estimated_share",
            "ci_low",
            "ci_high",
            "flagged_share",
            "postings",
        ],
    )


def share_chart(view: AnswerView) -> tuple[dict, pd.DataFrame]:
    frame = share_frame(view)
    # Months without data are rows with empty shares, so the lines break there.
    covered = {(m, f) for m, f in zip(frame["month"], frame["family"], strict=True)}
    gaps = [
        {"month": p.month.isoformat()[:7], "family": family}
        for p in view.volume_series
        for family in COLOURS
        if (p.month.isoformat()[:7], family) not in covered
    ]
    frame = (
        pd.concat([frame, pd.DataFrame(gaps, columns=frame.columns)], ignore_index=True)
        .sort_values(["month", "family"])
        .astype(object)
        .where(lambda f: f.notna(), None)
    )
    colour = alt.Color(
        "family:N",
        title="family",
        scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
    )
    x = alt.X("month:T", title="month", axis=alt.Axis(format="%Y", tickCount="year"))
    tooltip = [
        alt.Tooltip("month:T", format="%Y-%m"),
        alt.Tooltip("family:N"),
        alt.Tooltip("estimated_share:Q", title="estimated share", format=".1%"),
        alt.Tooltip("ci_low:Q", title="95% low", format=".1%"),
        alt.Tooltip("ci_high:Q", title="95% high", format=".1%"),
        alt.Tooltip("flagged_share:Q", title="flagged share", format=".1%"),
        alt.Tooltip("postings:Q"),
    ]
    base = alt.Chart(alt.Data(values=frame.to_dict("records"))).encode(x=x, color=colour)
    band = base.mark_area(opacity=0.18).encode(y="ci_low:Q", y2="ci_high:Q")
    estimated = base.mark_line(point=True).encode(
        y=alt.Y("estimated_share:Q", title="share of postings", axis=alt.Axis(format="%")),
        tooltip=tooltip,
    )
    flagged = base.mark_line(strokeDash=[4, 3], opacity=0.8).encode(
        y="flagged_share:Q", tooltip=tooltip
    )
    breaks = (
        alt.Chart(
            alt.Data(
                values=[
                    {"month": p.month.isoformat()[:7]} for p in view.volume_series if p.method_break
                ]
            )
        )
        .mark_rule(strokeDash=[2, 2], color="#888")
        .encode(x="month:T", tooltip=[alt.Tooltip("month:T", format="%Y-%m", title="method break")])
    )
    # Months whose thread was not fully landed (coverage partial or unknown).
    partial = (
        alt.Chart(
            alt.Data(
                values=[
                    {"month": p.month.isoformat()[:7], "coverage": p.coverage}
                    for p in view.volume_series
                    if p.coverage in ("partial", "unknown")
                ]
            )
        )
        .mark_rule(color="#e0a000", opacity=0.35, strokeWidth=3)
        .encode(
            x="month:T",
            tooltip=[alt.Tooltip("month:T", format="%Y-%m"), alt.Tooltip("coverage:N")],
        )
    )
    return (
        _base(
            alt.layer(partial, band, estimated, flagged, breaks),
            "Estimated share of postings",
            [
                "solid: estimated true share, band: its 95% interval",
                "dashed: flagged share; gaps: months without data; amber: partial coverage;"
                " grey: method break",
            ],
        ),
        frame,
    )


def volume_chart(view: AnswerView) -> tuple[dict, pd.DataFrame]:
    frame = pd.DataFrame(
        [
            {
                "month": p.month.isoformat()[:7],
                "postings_landed": None if p.coverage == "missing" else p.postings,
                "thread_top_level_comments": p.thread_comments,
                "thread_seasonally_adjusted": p.thread_comments_adjusted,
                "coverage": p.coverage,
            }
            for p in view.volume_series
        ],
        columns=[
            "month",
            "postings_landed",
            "thread_top_level_comments",
            "thread_seasonally_adjusted",
            "coverage",
        ],
    )
    long = frame.melt(
        id_vars=["month", "coverage"],
        value_vars=["postings_landed", "thread_top_level_comments", "thread_seasonally_adjusted"],
        var_name="series",
        value_name="count",
    )
    long["count"] = long["count"].astype(object).where(long["count"].notna(), None)
    long["series"] = long["series"].map(
        {
            "postings_landed": "postings landed",
            "thread_top_level_comments": "thread's top-level comments",
            "thread_seasonally_adjusted": "thread, seasonally adjusted",
        }
    )
    chart = (
        alt.Chart(alt.Data(values=long.to_dict("records")))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="month", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("count:Q", title="postings a month"),
            color=alt.Color("series:N", title=None),
            strokeDash=alt.StrokeDash("series:N", title=None),
            tooltip=[
                alt.Tooltip("month:T", format="%Y-%m"),
                "series:N",
                alt.Tooltip("count:Q", format=","),
                "coverage:N",
            ],
        )
    )
    return (
        _base(
            chart,
            "Postings a month, HN \u201cWho is hiring?\u201d",
            [
                "postings landed (none drawn where a month is missing)",
                "vs the thread's real size (top-level comments), raw and seasonally adjusted",
            ],
        ),
        frame,
    )


def skills_chart(view: AnswerView) -> tuple[dict, pd.DataFrame]:
    frame = pd.DataFrame(
        [
            {
                "skill": s.skill,
                "share_now": s.share_now,
                "share_before": s.share_before,
                "change_pts": round(s.change * 100, 2),
            }
            for s in view.skills
        ],
        columns=["skill", "share_now", "share_before", "change_pts"],
    )
    chart = (
        alt.Chart(alt.Data(values=frame.to_dict("records")))
        .mark_bar()
        .encode(
            y=alt.Y("skill:N", sort="-x", title=None),
            x=alt.X("change_pts:Q", title="change, share points"),
            color=alt.condition(
                "datum.change_pts >= 0", alt.value("#2ca02c"), alt.value("#d62728")
            ),
            tooltip=[
                "skill:N",
                alt.Tooltip("share_now:Q", title="last 6 months", format=".1%"),
                alt.Tooltip("share_before:Q", title="previous 6", format=".1%"),
                alt.Tooltip("change_pts:Q", title="change (pts)", format="+.1f"),
            ],
        )
    )
    return (
        _base(
            chart,
            "Skills rising and falling",
            [
                "last 6 months vs the 6 before, share points",
                f"only months ingested as {view.skills_method or 'one method'}",
            ],
        ),
        frame,
    )


def quality_chart(view: AnswerView) -> tuple[dict, pd.DataFrame]:
    frame = pd.DataFrame(
        [
            {
                "family": FAMILIES.get(q.family, q.family),
                "metric": metric,
                "value": getattr(q, metric).value,
                "ci_low": getattr(q, metric).low,
                "ci_high": getattr(q, metric).high,
                "labelled": q.labelled,
            }
            for q in view.quality
            for metric in ("precision", "recall")
        ],
        columns=["family", "metric", "value", "ci_low", "ci_high", "labelled"],
    )
    base = alt.Chart(alt.Data(values=frame.to_dict("records"))).encode(
        y=alt.Y("family:N", title=None),
        yOffset="metric:N",
        color=alt.Color("metric:N", title=None),
    )
    tooltip = [
        "family:N",
        "metric:N",
        alt.Tooltip("value:Q", format=".0%"),
        alt.Tooltip("ci_low:Q", title="95% low", format=".0%"),
        alt.Tooltip("ci_high:Q", title="95% high", format=".0%"),
        "labelled:Q",
    ]
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", title="rate on the labelled test split", axis=alt.Axis(format="%")),
        x2="ci_high:Q",
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=70).encode(x="value:Q", tooltip=tooltip)
    return (
        _base(
            alt.layer(bars, points),
            "Classifier quality: precision and recall",
            [
                "with 95% intervals; posting classifier, untouched test split,",
                "weighted by the sampling design",
            ],
        ),
        frame,
    )


def charts(view: AnswerView) -> list[dict]:
    out = []
    for name, build in (
        ("share-chart", share_chart),
        ("volume-chart", volume_chart),
        ("skills-chart", skills_chart),
        ("quality-chart", quality_chart),
    ):
        spec, frame = build(view)
        out.append({"id": name, "spec": spec, "csv": _csv_link(frame), "file": f"{name}.csv"})
    return out


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(pct=pct, with_interval=with_interval, change_text=change_text)
    return env


def render_html(view: AnswerView, generated: datetime | None = None) -> str:
    bundle = vega_bundle()
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        # Vega compiles its expressions with Function(): 'unsafe-eval', but only our scripts.
        f"script-src {_csp_hash(bundle)} {_csp_hash(EMBED_JS)} 'unsafe-eval'"
    )
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            view=view,
            charts=charts(view),
            vega_js=Markup(bundle),
            embed_js=Markup(EMBED_JS),
            csp=csp,
            generated=f"{(generated or datetime.now(UTC)):%Y-%m-%d %H:%M} UTC",
        )
    )


def write_report(view: AnswerView, reports_dir: Path) -> Path:
    """Write ``answer.html`` atomically (temp file, rename) and return its path."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    target = reports_dir / "answer.html"
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(render_html(view), encoding="utf-8")
    os.replace(tmp, target)
    return target


def report_published(settings: Settings) -> Path:
    """The report of the snapshot ``analytics.duckdb`` holds now."""
    view = load_view(settings.analytics_db, settings.quality_dir)
    return write_report(view, settings.data_dir / "reports")
