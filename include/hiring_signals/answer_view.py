"""One view of the answer, read from one published snapshot: the only input of the
terminal answer, ``answer --format json`` and the HTML report.

Everything comes from one read-only connection to ``analytics.duckdb``: the verdict
(``marts.fct_hiring_verdict``: estimated true shares, flagged shares, volumes), the monthly
estimates (``marts.fct_ml_share_estimates``), the monthly series with its coverage
(``marts.fct_ml_hiring_monthly``), skills, the classifier's measured quality and the
snapshot's own row in ``meta.snapshots`` (whose ``gate_run_id`` names the gate result).
No statistics are computed here: the marts carry them. The JSON schema of the view is
``docs/answer.schema.json`` (``python -m hiring_signals.answer_view`` rewrites it).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Literal

import duckdb
from pydantic import BaseModel, Field

from hiring_signals import answer
from hiring_signals.answer import DEFAULT_SOURCE, FAMILIES, SERIES_FILTER

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "answer.schema.json"
QUESTION = "Have ML / deep-learning jobs collapsed in the last six months?"
ROLE_NAMES = {"ml": "ML roles", "deep_learning": "Deep-learning roles", "llm": "LLM roles"}
BASELINES = {"previous 6 months": "six months earlier", "a year earlier": "a year earlier"}
LABELS = {"is_ml": "ml", "is_deep_learning": "deep_learning", "is_llm": "llm"}
ALPHA = 0.05


class Interval(BaseModel):
    """A share (0-1) or a change in share points (0-1 scale) with its 95% interval."""

    value: float | None
    low: float | None = None
    high: float | None = None


class Comparison(BaseModel):
    baseline: str = Field(description="`previous 6 months` or `a year earlier`")
    before: Interval
    change: Interval = Field(description="now minus before, share points on a 0-1 scale")
    p_value: float | None
    verdict: (
        Literal["a significant decline", "a significant increase", "no significant change"]
        | (Literal["not enough data"])
    )
    detail: str = Field(description="the verdict mart's sentence")


class FamilyAnswer(BaseModel):
    family: Literal["ml", "deep_learning", "llm"]
    name: str
    measure: Literal["estimated_share", "share"] = Field(
        description="estimated_share: corrected for classifier error; share: flagged only"
    )
    headline: str
    now: Interval
    comparisons: list[Comparison]
    flagged_now: Interval
    flagged: list[Comparison] = Field(description="the flagged share, uncorrected")


class WindowInfo(BaseModel):
    label: str
    first_month: date
    last_month: date
    postings: int
    gaps: str = Field(description="months without full coverage, '' if none")


class VolumeAnswer(BaseModel):
    subject: str
    baseline: str
    per_month_now: float | None
    per_month_before: float | None
    verdict: str


class Gate(BaseModel):
    run_id: str | None
    success: bool | None = Field(description="null when the gate result file is not found")
    validated_at: str | None = None


class SharePoint(BaseModel):
    month: date
    family: str
    postings: int
    flagged_share: float | None
    estimated_share: float | None
    low: float | None
    high: float | None


class VolumePoint(BaseModel):
    month: date
    postings: int
    thread_comments: int | None = Field(description="top-level comments, as last observed")
    thread_comments_adjusted: float | None = Field(
        default=None,
        description="thread_comments seasonally adjusted (classical multiplicative "
        "decomposition); null without two years of unbroken months",
    )
    coverage: str | None
    method_break: bool


class SkillChange(BaseModel):
    skill: str
    share_now: float
    share_before: float
    change: float = Field(description="share points, 0-1 scale")


class SocialRow(BaseModel):
    month: str
    topic: str
    source: str
    items: int
    share_mentioning_layoffs: float | None
    share_mentioning_hiring: float | None


class Quality(BaseModel):
    family: str
    labelled: int
    precision: Interval
    recall: Interval


class AnswerView(BaseModel):
    """The answer to "have ML / deep-learning jobs collapsed?" from one snapshot."""

    question: str = QUESTION
    source: str
    snapshot_id: str
    published_at: str
    gate: Gate
    newest_batch: str | None
    headlines: list[str]
    families: list[FamilyAnswer]
    windows: list[WindowInfo]
    volumes: list[VolumeAnswer]
    coverage_notes: list[str]
    method_notes: list[str]
    share_series: list[SharePoint]
    volume_series: list[VolumePoint]
    skills_method: str | None = Field(description="the one ingest method the skills compare")
    skills: list[SkillChange]
    quality: list[Quality]
    social: list[SocialRow] = Field(default_factory=list, description="HN and Reddit talk")


def pct(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value * 100:.{digits}f}%"


def points(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:+.1f} pts"


def with_interval(i: Interval) -> str:
    """``4.1% (3.2-5.0%)``; the point alone when the interval is unknown."""
    if i.low is None or i.high is None:
        return pct(i.value)
    return f"{pct(i.value)} ({i.low * 100:.1f}\u2013{i.high * 100:.1f}%)"


def change_text(c: Comparison) -> str:
    if c.change.low is None or c.change.high is None:
        return points(c.change.value)
    return f"{points(c.change.value)} ({c.change.low * 100:+.1f} to {c.change.high * 100:+.1f})"


def _verdict(diff: float | None, p_value: float | None) -> str:
    if diff is None or p_value is None:
        return "not enough data"
    if p_value >= ALPHA:
        return "no significant change"
    return "a significant decline" if diff < 0 else "a significant increase"


def headline(f: FamilyAnswer) -> str:
    base = f.comparisons[0] if f.comparisons else None
    what = "of postings" if f.measure == "estimated_share" else "of postings flagged"
    share = f"{pct(f.now.value)} {what}"
    if f.now.low is not None and f.now.high is not None:
        share += f" ({f.now.low * 100:.1f}\u2013{f.now.high * 100:.1f}%)"
    if base is None:
        return f"{f.name}: {share}"
    return (
        f"{f.name}: {share} vs {pct(base.before.value)} "
        f"{BASELINES.get(base.baseline, base.baseline)}: {base.verdict}"
    )


def _comparisons(rows: list[dict], measure: str, family: str) -> tuple[Interval, list[Comparison]]:
    mine = [r for r in rows if r["measure"] == measure and r["family"] == family]
    mine.sort(key=lambda r: list(BASELINES).index(r["baseline"]))
    now = Interval(value=None)
    out = []
    for r in mine:
        now = Interval(value=r["value_now"], low=r["value_now_ci_low"], high=r["value_now_ci_high"])
        before = Interval(
            value=r["value_before"], low=r["value_before_ci_low"], high=r["value_before_ci_high"]
        )
        diff = (
            None
            if r["value_now"] is None or r["value_before"] is None
            else r["value_now"] - r["value_before"]
        )
        # Share rows carry a relative change; the view shows points for both measures.
        low = high = None
        if measure == "estimated_share":
            low, high = r["change_ci_low"], r["change_ci_high"]
        out.append(
            Comparison(
                baseline=r["baseline"],
                before=before,
                change=Interval(value=diff, low=low, high=high),
                p_value=r["p_value"],
                verdict=_verdict(diff, r["p_value"]),
                detail=r["verdict"],
            )
        )
    return now, out


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _verdict_rows(
    con: duckdb.DuckDBPyConnection, source: str, end_month: date | None
) -> list[dict]:
    """The verdict mart's rows; for another ``end_month`` the same rows computed by the
    code that builds the mart (``answer.verdict_rows``), from the same snapshot."""
    if end_month is None:
        return _dicts(con, "select * from marts.fct_hiring_verdict where source_name = ?", [source])
    monthly = con.execute(answer.MONTHLY_SQL, [answer.VERDICT_METHOD, source]).df()
    judgements = con.execute("select * from marts.fct_evaluation_judgements").df()
    result = answer.answer_from_monthly(monthly, end_month, judgements)
    return answer.verdict_rows(result, source)


def build_view(
    con: duckdb.DuckDBPyConnection,
    quality_dir: Path,
    source: str = DEFAULT_SOURCE,
    end_month: date | None = None,
) -> AnswerView:
    """The view of the snapshot ``con`` reads (one read-only connection, every figure);
    windows end at the newest month, or at ``end_month``."""
    snapshot = _dicts(
        con,
        "select snapshot_id, published_at, gate_run_id from meta.snapshots "
        "order by published_at desc limit 1",
    )[0]
    gate = Gate(run_id=snapshot["gate_run_id"], success=None)
    if gate.run_id and (quality_dir / f"{gate.run_id}.json").exists():
        result = json.loads((quality_dir / f"{gate.run_id}.json").read_text())
        gate = Gate(
            run_id=gate.run_id,
            success=bool(result["success"]),
            validated_at=str(result["validated_at"]),
        )
    verdict = _verdict_rows(con, source, end_month)
    measure = (
        "estimated_share" if any(r["measure"] == "estimated_share" for r in verdict) else "share"
    )
    families = []
    for family in FAMILIES:
        now, comparisons = _comparisons(verdict, measure, family)
        flagged_now, flagged = _comparisons(verdict, "share", family)
        f = FamilyAnswer(
            family=family,
            name=ROLE_NAMES[family],
            measure=measure,
            headline="",
            now=now,
            comparisons=comparisons,
            flagged_now=flagged_now,
            flagged=flagged,
        )
        families.append(f.model_copy(update={"headline": headline(f)}))
    windows: list[WindowInfo] = []
    share_rows = [r for r in verdict if r["measure"] == "share" and r["family"] == "ml"]
    if share_rows:
        r0 = share_rows[0]
        windows.append(
            WindowInfo(
                label="last 6 months",
                first_month=r0["window_first_month"],
                last_month=r0["window_last_month"],
                postings=r0["postings_now"],
                gaps=r0["gaps_now"] or "",
            )
        )
        for r in sorted(share_rows, key=lambda r: list(BASELINES).index(r["baseline"])):
            windows.append(
                WindowInfo(
                    label=r["baseline"],
                    first_month=r["baseline_first_month"],
                    last_month=r["baseline_last_month"],
                    postings=r["postings_before"],
                    gaps=r["gaps_before"] or "",
                )
            )
    methods = sorted(
        {m.strip() for r in verdict for m in (r["ingest_methods"] or "").split(",") if m.strip()}
    )
    coverage_notes = [
        f"{w.label} ({w.first_month:%Y-%m}..{w.last_month:%Y-%m}, {w.postings:,} postings): "
        f"{w.gaps or 'every month fully covered'}"
        for w in windows
    ]
    drifted = con.execute(
        "select family, posting_year from marts.fct_classifier_error_rates where drifted "
        "order by family, posting_year"
    ).fetchall()
    if drifted:
        coverage_notes.append(
            "the classifier's error rates of "
            + ", ".join(f"{FAMILIES[f]} {y}" for f, y in drifted)
            + " differ from the other years'; those years' estimates use their own rates"
        )
    if len(methods) > 1:
        coverage_notes.append(
            f"the windows mix ingest methods ({', '.join(methods)}): a change may be the method's"
        )
    volumes = [
        VolumeAnswer(
            subject=r["subject"],
            baseline=r["baseline"],
            per_month_now=r["value_now"],
            per_month_before=r["value_before"],
            verdict=r["verdict"],
        )
        for r in verdict
        if r["measure"] == "volume"
    ]
    share_series = _share_series(con)
    volume_rows = _dicts(
        con,
        "select posting_month, postings, thread_top_level_comments, coverage_status, "
        f"is_method_break from marts.fct_ml_hiring_monthly where {SERIES_FILTER} "
        "order by posting_month",
    )
    adjusted = seasonally_adjusted(
        [r["posting_month"] for r in volume_rows],
        [r["thread_top_level_comments"] for r in volume_rows],
    )
    volume_series = [
        VolumePoint(
            month=r["posting_month"],
            postings=r["postings"],
            thread_comments=r["thread_top_level_comments"],
            thread_comments_adjusted=a,
            coverage=r["coverage_status"],
            method_break=bool(r["is_method_break"]),
        )
        for r, a in zip(volume_rows, adjusted, strict=True)
    ]
    skills_method, skills = _skills(con, windows, source)
    quality = _quality(con)
    social = [
        SocialRow(
            month=m,
            topic=t,
            source=src,
            items=n,
            share_mentioning_layoffs=lay,
            share_mentioning_hiring=hire,
        )
        for m, t, src, n, lay, hire in con.execute(
            "select strftime(item_month, '%Y-%m'), topic, source_name, items, "
            "share_mentioning_layoffs, share_mentioning_hiring "
            "from marts.fct_social_signal_monthly order by 1, 2, 3"
        ).fetchall()
    ]
    (newest,) = con.execute("select max(fetched_at) from marts.dim_batches").fetchone()
    return AnswerView(
        source=source,
        snapshot_id=snapshot["snapshot_id"],
        published_at=str(snapshot["published_at"]),
        gate=gate,
        newest_batch=str(newest) if newest else None,
        headlines=[f.headline for f in families],
        families=families,
        windows=windows,
        volumes=volumes,
        coverage_notes=coverage_notes,
        method_notes=_method_notes(measure, quality),
        share_series=share_series,
        volume_series=volume_series,
        skills_method=skills_method,
        skills=skills,
        quality=quality,
        social=social,
    )


def seasonally_adjusted(months: list[date], values: list[float | None]) -> list[float | None]:
    """``values`` divided by their month-of-year factor (classical multiplicative
    decomposition: ratio to the centred 2x12 moving average, averaged per calendar month,
    normalised to a mean of 1). A factor needs two ratios, so each calendar month needs
    two years with a full moving-average window around it; otherwise every value is None.
    """
    import pandas as pd

    if not months:
        return []
    series = pd.Series(
        [float("nan") if v is None else float(v) for v in values],
        index=pd.PeriodIndex(pd.to_datetime(months), freq="M"),
    )
    full = series.reindex(pd.period_range(series.index.min(), series.index.max(), freq="M"))
    trend = full.rolling(12).mean().rolling(2).mean().shift(-6)
    ratio = full / trend
    counts = ratio.groupby(ratio.index.month).count()
    if len(counts) < 12 or (counts < 2).any():
        return [None] * len(values)
    factor = ratio.groupby(ratio.index.month).mean()
    factor = factor / factor.mean()
    adjusted = full / full.index.month.map(factor).to_numpy()
    return [None if pd.isna(adjusted[p]) else float(adjusted[p]) for p in series.index]


def _share_series(con: duckdb.DuckDBPyConnection) -> list[SharePoint]:
    # The monthly rows, not the 6- and 12-month windows the mart also holds.
    return [
        SharePoint(
            month=r["posting_month"],
            family=r["family"],
            postings=r["postings"],
            flagged_share=r["flagged_share"],
            estimated_share=r["estimated_share"],
            low=r["estimated_share_ci_low"],
            high=r["estimated_share_ci_high"],
        )
        for r in _dicts(
            con,
            "select posting_month, family, postings, flagged_share, estimated_share, "
            "estimated_share_ci_low, estimated_share_ci_high "
            "from marts.fct_ml_share_estimates where window_months = 1 "
            "order by posting_month, family",
        )
    ]


def _skills(
    con: duckdb.DuckDBPyConnection, windows: list[WindowInfo], source: str
) -> tuple[str | None, list[SkillChange]]:
    """Skills rising and falling, last 6 months vs the 6 before, counting only months of
    the newest month's ingest method (a change of method is not a change of skills)."""
    if len(windows) < 2:
        return None, []
    now, before = windows[0], windows[1]
    row = con.execute(
        f"select ingest_method from marts.fct_ml_hiring_monthly where {SERIES_FILTER} "
        "and postings > 0 order by posting_month desc limit 1"
    ).fetchone()
    method = row[0] if row else None
    rows = con.execute(
        f"""
        with totals as (
            select sum(postings) filter (where posting_month >= $now) as now_n,
                   sum(postings) filter (where posting_month < $now) as before_n
            from marts.fct_ml_hiring_monthly
            where {SERIES_FILTER} and ingest_method = $method
                and posting_month between $first and $last
        ),
        counts as (
            select skill,
                   sum(postings_with_skill) filter (where posting_month >= $now) as now_k,
                   sum(postings_with_skill) filter (where posting_month < $now) as before_k
            from marts.fct_skill_trends_monthly
            where source_name = $source and ingest_method = $method
                and posting_month between $first and $last
            group by skill
        )
        select skill, coalesce(now_k, 0) / now_n as now_share,
               coalesce(before_k, 0) / before_n as before_share
        from counts, totals
        where totals.now_n > 0 and totals.before_n > 0
        """,
        {
            "now": now.first_month,
            "first": before.first_month,
            "last": now.last_month,
            "method": method,
            "source": source,
        },
    ).fetchall()
    moved = sorted(rows, key=lambda r: r[1] - r[2])
    chosen = moved[-6:][::-1] + [r for r in moved[:6] if r not in moved[-6:]]
    return method, [
        SkillChange(skill=s, share_now=n, share_before=b, change=n - b) for s, n, b in chosen
    ]


def _quality(con: duckdb.DuckDBPyConnection) -> list[Quality]:
    rows = _dicts(
        con,
        """
        select label, labelled, precision_rate, precision_ci_low, precision_ci_high,
               recall_rate, recall_ci_low, recall_ci_high
        from marts.fct_classifier_evaluation
        where classifier = 'posting' and split = 'test' and period = 'all'
        order by label
        """,
    )
    return [
        Quality(
            family=LABELS.get(r["label"], r["label"]),
            labelled=r["labelled"],
            precision=Interval(
                value=r["precision_rate"], low=r["precision_ci_low"], high=r["precision_ci_high"]
            ),
            recall=Interval(
                value=r["recall_rate"], low=r["recall_ci_low"], high=r["recall_ci_high"]
            ),
        )
        for r in rows
    ]


def _method_notes(measure: str, quality: list[Quality]) -> list[str]:
    notes = []
    if measure == "estimated_share":
        notes.append(
            "Shares are estimated true shares: the share of postings the classifier flags, "
            "corrected for its error measured on the labelled test split (Rogan-Gladen; 95% "
            "bootstrap intervals over labels and postings). Flagged shares stay visible as such."
        )
    else:
        notes.append(
            "Shares are flagged shares (no labelled test split to correct them; 95% Wilson "
            "intervals)."
        )
    by_family = {q.family: q for q in quality}
    if all(f in by_family for f in FAMILIES):
        found = ", ".join(f"{pct(by_family[f].recall.value, 0)} of {FAMILIES[f]}" for f in FAMILIES)
        precise = ", ".join(pct(by_family[f].precision.value, 0) for f in FAMILIES)
        notes.append(
            f"On the untouched test split, weighted by the sampling design, the flags find "
            f"{found} postings (precision {precise})."
        )
    notes.append(
        "Windows: the last 6 months with data vs the 6 before and the same 6 a year earlier; "
        "a change is significant at p < 0.05."
    )
    return notes


def load_view(analytics_db: Path, quality_dir: Path, end_month: date | None = None) -> AnswerView:
    """The view of the published snapshot, read through one read-only connection."""
    from hiring_signals.warehouse import connect_read_only

    with connect_read_only(analytics_db) as con:
        return build_view(con, quality_dir, end_month=end_month)


def write_schema(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(json.dumps(AnswerView.model_json_schema(), indent=2) + "\n")
    return path


if __name__ == "__main__":
    print(write_schema(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_FILE))
