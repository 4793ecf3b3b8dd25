"""The answer to "have ML / deep-learning jobs collapsed?", from the published marts.

Compares the share of ML, deep-learning and LLM postings over the last six months of
data with the six months before and with the same six months a year earlier. Shares are
pooled over the months of a window (postings-weighted); intervals are Wilson 95% for a
share and Katz log intervals for the ratio of two shares; the p-value is a two-sided
two-proportion z-test. Months with missing, partial or unknown coverage, and changes of ingest
method inside a window, are named next to the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from hiring_signals import estimates
from hiring_signals.warehouse import connect_read_only

Z95 = 1.959964
FAMILIES = {"ml": "ML", "deep_learning": "deep learning", "llm": "LLM"}
# The only source with years of history; job boards start when we first look at them.
DEFAULT_SOURCE = "hn_whoishiring"
# The verdict counts the posting classifier's flags: every month since June 2019 is a
# thread comment with its full text, classified the same way.
VERDICT_METHOD = "posting"
# The rows of fct_ml_hiring_monthly the verdict and the estimates read.
SERIES_FILTER = (
    f"classification_method = '{VERDICT_METHOD}' and source_name = '{DEFAULT_SOURCE}' "
    "and segment = 'all'"
)


@dataclass(frozen=True)
class Window:
    label: str
    first: date
    last: date
    postings: int
    hits: dict[str, int]
    months_with_data: int
    missing: list[str]
    partial: list[str]
    methods: list[str]
    thread_comments: int = 0  # all comments of the window's threads, final real sizes
    thread_months: int = 0
    unknown: list[str] = field(default_factory=list)  # months whose thread size is unknown

    @property
    def gaps(self) -> str:
        """Months without known full coverage, e.g. "2025-12 missing, 2026-01 partial"
        ("" if none)."""
        return ", ".join(
            [f"{m} missing" for m in self.missing]
            + [f"{m} partial" for m in self.partial]
            + [f"{m} unknown" for m in self.unknown]
        )

    def per_month(self, family: str | None) -> float | None:
        """Postings (or a family's postings) per month with data: the hiring volume."""
        if not self.months_with_data:
            return None
        count = self.postings if family is None else self.hits[family]
        return count / self.months_with_data


@dataclass(frozen=True)
class Comparison:
    family: str
    baseline: str
    share_now: float | None
    share_before: float | None
    relative_change: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    verdict: str


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # At k = 0 and k = n the bound is exactly 0 or 1; say so instead of rounding near it.
    return (0.0 if k == 0 else centre - half, 1.0 if k == n else centre + half)


def two_proportion_p_value(k1: int, n1: int, k0: int, n0: int) -> float:
    """Two-sided p-value of H0: both windows share one proportion (pooled z-test)."""
    pooled = (k1 + k0) / (n1 + n0)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    if se == 0:
        return 1.0
    z = (k1 / n1 - k0 / n0) / se
    return math.erfc(abs(z) / math.sqrt(2))


def compare(family: str, now: Window, before: Window, alpha: float = 0.05) -> Comparison:
    """Relative change of a family's share between two windows, with its verdict."""
    k1, n1 = now.hits[family], now.postings
    k0, n0 = before.hits[family], before.postings
    if n1 == 0 or n0 == 0:
        return Comparison(
            family,
            before.label,
            None,
            None,
            None,
            None,
            None,
            None,
            "not enough data: a window has no postings",
        )
    p1, p0 = k1 / n1, k0 / n0
    if k1 == 0 or k0 == 0:
        return Comparison(
            family,
            before.label,
            p1,
            p0,
            None,
            None,
            None,
            two_proportion_p_value(k1, n1, k0, n0),
            f"too few {FAMILIES[family]} postings to size a change ({k1} vs {k0})",
        )
    ratio = p1 / p0
    se_log = math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0)
    low, high = ratio * math.exp(-Z95 * se_log), ratio * math.exp(Z95 * se_log)
    p_value = two_proportion_p_value(k1, n1, k0, n0)
    change = ratio - 1
    direction = "down" if change < 0 else "up"
    # The interval of a ratio is skewed, so both ends are printed, not a "±".
    amount = f"{direction} {abs(change):.0%}, 95% CI {low - 1:+.0%} to {high - 1:+.0%}"
    if p_value < alpha:
        kind = "a real decline" if change < 0 else "a real increase"
        verdict = f"{amount}, p = {p_value:.3f}: {kind}"
    else:
        verdict = f"{amount}, p = {p_value:.2f}: no significant change"
    return Comparison(family, before.label, p1, p0, change, low - 1, high - 1, p_value, verdict)


def load_window(monthly: pd.DataFrame, label: str, first: date, last: date) -> Window:
    """Pool the months ``first``..``last`` of one source's monthly series into a window."""
    months = pd.to_datetime(monthly["posting_month"]).dt.date
    rows = monthly[(months >= first) & (months <= last)].sort_values("posting_month")
    month_labels = [f"{m:%Y-%m}" for m in pd.to_datetime(rows["posting_month"])]
    covered = set(month_labels)
    missing = [
        m for m, s in zip(month_labels, rows["coverage_status"], strict=True) if s == "missing"
    ]
    month = first
    while month <= last:  # months before or after the data are missing too
        if f"{month:%Y-%m}" not in covered:
            missing.append(f"{month:%Y-%m}")
        month = add_months(month, 1)
    threads = rows["thread_all_comments"].fillna(0)
    return Window(
        label=label,
        first=first,
        last=last,
        postings=int(rows["postings"].sum()),
        hits={
            "ml": int(rows["ml_postings"].sum()),
            "deep_learning": int(rows["deep_learning_postings"].sum()),
            "llm": int(rows["llm_postings"].sum()),
        },
        months_with_data=int((rows["postings"] > 0).sum()),
        missing=sorted(missing),
        partial=[
            m for m, s in zip(month_labels, rows["coverage_status"], strict=True) if s == "partial"
        ],
        methods=sorted({m for m in rows["ingest_method"].dropna()}),
        unknown=[
            m for m, s in zip(month_labels, rows["coverage_status"], strict=True) if s == "unknown"
        ],
        thread_comments=int(threads.sum()),
        thread_months=int((threads > 0).sum()),
    )


@dataclass(frozen=True)
class VolumeChange:
    family: str  # a key of FAMILIES, or "all" for every posting in the threads
    what: str
    baseline: str
    per_month_now: float | None
    per_month_before: float | None
    verdict: str
    relative_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None


def compare_volume(
    family: str, what: str, k1: int, months1: int, k0: int, months0: int, baseline: str
) -> VolumeChange:
    """Change of a monthly count (Poisson rate ratio with a 95% log interval)."""
    if not months1 or not months0:
        return VolumeChange(family, what, baseline, None, None, "not enough data")
    r1, r0 = k1 / months1, k0 / months0
    if k1 == 0 or k0 == 0:
        return VolumeChange(
            family, what, baseline, r1, r0, f"too few to size a change ({k1} vs {k0})"
        )
    ratio = r1 / r0
    se_log = math.sqrt(1 / k1 + 1 / k0)
    low, high = ratio * math.exp(-Z95 * se_log), ratio * math.exp(Z95 * se_log)
    direction = "down" if ratio < 1 else "up"
    significant = high < 1 or low > 1
    kind = (
        ("a real decline" if ratio < 1 else "a real increase")
        if significant
        else ("no significant change")
    )
    verdict = (
        f"{r1:.1f} vs {r0:.1f} a month, {direction} {abs(ratio - 1):.0%}, "
        f"95% CI {low - 1:+.0%} to {high - 1:+.0%}: {kind}"
    )
    return VolumeChange(family, what, baseline, r1, r0, verdict, ratio - 1, low - 1, high - 1)


def volume_changes(now: Window, before: Window) -> list[VolumeChange]:
    """Hiring volume, separately from the mix: counts a month rather than shares."""
    changes = [
        compare_volume(
            family,
            f"{FAMILIES[family]} postings landed",
            now.hits[family],
            now.months_with_data,
            before.hits[family],
            before.months_with_data,
            before.label,
        )
        for family in FAMILIES
    ]
    changes.append(
        compare_volume(
            "all",
            "all comments in the HN threads (real final thread sizes, replies included)",
            now.thread_comments,
            now.thread_months,
            before.thread_comments,
            before.thread_months,
            before.label,
        )
    )
    return changes


@dataclass(frozen=True)
class EstimatedComparison:
    """The estimated true share (corrected for classifier error) now and in a baseline."""

    family: str
    baseline: str
    now: estimates.Estimate
    before: estimates.Estimate
    change: estimates.Change
    verdict: str


def _points(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:+.1f} pts"


def _share(e: estimates.Estimate) -> str:
    if e.estimated_share is None:
        return "-"
    if e.ci_low is None or e.ci_high is None:
        return f"{e.estimated_share:.1%}"
    return f"{e.estimated_share:.1%} ({e.ci_low:.1%}-{e.ci_high:.1%})"


def compare_estimates(
    family: str,
    now: estimates.Estimate,
    before: estimates.Estimate,
    baseline: str,
    alpha: float = 0.05,
) -> EstimatedComparison:
    change = estimates.change(now, before)
    if change.difference is None:
        verdict = "not enough data: a window has no postings"
    elif change.p_value is None:
        verdict = f"{_share(now)} vs {_share(before)}: the interval cannot be sized"
    else:
        amount = (
            f"{_share(now)} vs {_share(before)}, {_points(change.difference)} "
            f"(95% CI {_points(change.ci_low)} to {_points(change.ci_high)}), "
            f"p = {change.p_value:.3f}"
        )
        if change.p_value < alpha:
            verdict = amount + (
                ": a real decline" if change.difference < 0 else ": a real increase"
            )
        else:
            verdict = amount + ": no significant change"
    return EstimatedComparison(family, baseline, now, before, change, verdict)


def window_months(monthly: pd.DataFrame, w: Window, family: str) -> list[tuple[int, int, int]]:
    """(year, postings, flagged) of each month of a window, for ``estimates.estimate``."""
    months = pd.to_datetime(monthly["posting_month"])
    rows = monthly[(months.dt.date >= w.first) & (months.dt.date <= w.last)]
    rows = rows.sort_values("posting_month")
    return [
        (pd.Timestamp(r.posting_month).year, int(r.postings), int(getattr(r, f"{family}_postings")))
        for r in rows.itertuples()
    ]


def estimated_comparisons(
    monthly: pd.DataFrame, judgements: pd.DataFrame, windows: list[Window]
) -> list[EstimatedComparison]:
    """Estimated true shares of the last window against each baseline, per family; the
    same bootstrap seed per window and family, so the answer is reproducible."""
    model = estimates.ErrorModel(estimates.test_judgements(judgements))
    now, *baselines = windows
    result = []
    for f, family in enumerate(FAMILIES):
        current = estimates.estimate(model, family, window_months(monthly, now, family), seed=f)
        for b, base in enumerate(baselines, start=1):
            before = estimates.estimate(
                model, family, window_months(monthly, base, family), seed=10 * b + f
            )
            result.append(compare_estimates(family, current, before, base.label))
    return result


@dataclass(frozen=True)
class Answer:
    windows: list[Window]
    comparisons: list[Comparison]
    volumes: list[VolumeChange]
    estimated: list[EstimatedComparison] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)  # "deep_learning 2025", ...


MONTHLY_SQL = """
    select posting_month, postings, ml_postings, deep_learning_postings, llm_postings,
           coverage_status, ingest_method, thread_all_comments
    from marts.fct_ml_hiring_monthly
    where classification_method = ? and source_name = ? and segment = 'all'
"""


def answer_from_monthly(
    monthly: pd.DataFrame,
    end_month: date | None = None,
    judgements: pd.DataFrame | None = None,
) -> Answer:
    """The answer from one source's ``VERDICT_METHOD`` rows of ``fct_ml_hiring_monthly``.

    Windows end at ``end_month`` (default: the newest month with postings). The dbt model
    ``fct_hiring_verdict`` and the ``answer`` command both call this, so they agree.
    """
    if end_month is None:
        with_data = monthly.loc[monthly["postings"] > 0, "posting_month"]
        if with_data.empty:
            raise ValueError("the warehouse has no postings yet")
        end_month = pd.Timestamp(with_data.max()).date()
    end = date(end_month.year, end_month.month, 1)
    now = load_window(monthly, "last 6 months", add_months(end, -5), end)
    before = load_window(monthly, "previous 6 months", add_months(end, -11), add_months(end, -6))
    year_ago = load_window(monthly, "a year earlier", add_months(end, -17), add_months(end, -12))
    comparisons = [
        compare(family, now, baseline) for family in FAMILIES for baseline in (before, year_ago)
    ]
    volumes = volume_changes(now, before) + volume_changes(now, year_ago)
    windows = [now, before, year_ago]
    if judgements is None or not len(estimates.test_judgements(judgements)):
        return Answer(windows, comparisons, volumes)
    drifted = [
        f"{r['family']} {r['posting_year']}"
        for r in estimates.error_rate_drift(judgements)
        if r["drifted"]
    ]
    return Answer(
        windows, comparisons, volumes, estimated_comparisons(monthly, judgements, windows), drifted
    )


def answer(
    analytics_db: Path, end_month: date | None = None, source: str = DEFAULT_SOURCE
) -> Answer:
    """The answer from the published warehouse (see ``answer_from_monthly``)."""
    with connect_read_only(analytics_db) as con:
        monthly = con.execute(MONTHLY_SQL, [VERDICT_METHOD, source]).df()
        judgements = con.execute("select * from marts.fct_evaluation_judgements").df()
    return answer_from_monthly(monthly, end_month, judgements)


VERDICT_COLUMNS = [
    "source_name",
    "classification_method",
    "measure",
    "family",
    "subject",
    "baseline",
    "window_first_month",
    "window_last_month",
    "baseline_first_month",
    "baseline_last_month",
    "postings_now",
    "postings_before",
    "value_now",
    "value_before",
    "value_now_ci_low",
    "value_now_ci_high",
    "value_before_ci_low",
    "value_before_ci_high",
    "relative_change",
    "change_ci_low",
    "change_ci_high",
    "p_value",
    "verdict",
    "gaps_now",
    "gaps_before",
    "ingest_methods",
]


def verdict_rows(result: Answer, source: str = DEFAULT_SOURCE) -> list[dict[str, object]]:
    """One row per comparison (mix of each family, volume of each count) for the mart."""
    now, *baselines = result.windows
    by_label = {w.label: w for w in baselines}
    rows: list[dict[str, object]] = []
    for c in result.comparisons:
        base = by_label[c.baseline]
        rows.append(
            {
                "measure": "share",
                "family": c.family,
                "subject": f"{FAMILIES[c.family]} flagged share",
                "value_now": c.share_now,
                "value_before": c.share_before,
                **_share_intervals(c.family, now, base),
                "relative_change": c.relative_change,
                "change_ci_low": c.ci_low,
                "change_ci_high": c.ci_high,
                "p_value": c.p_value,
                "verdict": c.verdict,
                **_window_columns(now, base, source),
            }
        )
    for e in result.estimated:
        base = by_label[e.baseline]
        rows.append(
            {
                "measure": "estimated_share",
                "family": e.family,
                "subject": f"estimated true {FAMILIES[e.family]} share",
                "value_now": e.now.estimated_share,
                "value_before": e.before.estimated_share,
                "value_now_ci_low": e.now.ci_low,
                "value_now_ci_high": e.now.ci_high,
                "value_before_ci_low": e.before.ci_low,
                "value_before_ci_high": e.before.ci_high,
                "relative_change": None,
                "change_ci_low": e.change.ci_low,
                "change_ci_high": e.change.ci_high,
                "p_value": e.change.p_value,
                "verdict": e.verdict,
                **_window_columns(now, base, source),
            }
        )
    for v in result.volumes:
        base = by_label[v.baseline]
        rows.append(
            {
                "measure": "volume",
                "family": v.family,
                "subject": v.what,
                "value_now": v.per_month_now,
                "value_before": v.per_month_before,
                "relative_change": v.relative_change,
                "change_ci_low": v.ci_low,
                "change_ci_high": v.ci_high,
                "p_value": None,
                "verdict": v.verdict,
                **_window_columns(now, base, source),
            }
        )
    return rows


def _share_intervals(family: str, now: Window, base: Window) -> dict[str, float | None]:
    """Wilson 95% intervals of a family's flagged share in both windows."""
    ends: dict[str, float | None] = {}
    for side, w in (("now", now), ("before", base)):
        low, high = wilson(w.hits[family], w.postings) if w.postings else (None, None)
        ends[f"value_{side}_ci_low"], ends[f"value_{side}_ci_high"] = low, high
    return ends


def _window_columns(now: Window, base: Window, source: str) -> dict[str, object]:
    return {
        "source_name": source,
        "classification_method": VERDICT_METHOD,
        "baseline": base.label,
        "window_first_month": now.first,
        "window_last_month": now.last,
        "baseline_first_month": base.first,
        "baseline_last_month": base.last,
        "postings_now": now.postings,
        "postings_before": base.postings,
        "gaps_now": now.gaps,
        "gaps_before": base.gaps,
        "ingest_methods": ", ".join(sorted(set(now.methods) | set(base.methods))),
    }
