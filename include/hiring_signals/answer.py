"""The answer to "have ML / deep-learning jobs collapsed?", from the published marts.

Compares the share of ML, deep-learning and LLM postings over the last six months of
data with the six months before and with the same six months a year earlier. Shares are
pooled over the months of a window (postings-weighted); intervals are Wilson 95% for a
share and Katz log intervals for the ratio of two shares; the p-value is a two-sided
two-proportion z-test. Months with missing or partial coverage, and changes of ingest
method inside a window, are named next to the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hiring_signals.warehouse import connect_read_only

Z95 = 1.959964
FAMILIES = {"ml": "ML", "deep_learning": "deep learning", "llm": "LLM"}
# The only source with years of history; job boards start when we first look at them.
DEFAULT_SOURCE = "hn_whoishiring"


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
    thread_comments: int = 0  # real top-level comments of the window's threads
    thread_months: int = 0

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


def load_window(con, source: str, label: str, first: date, last: date) -> Window:
    rows = con.execute(
        """
        select strftime(posting_month, '%Y-%m'), postings, ml_postings,
               deep_learning_postings, llm_postings, coverage_status, ingest_method,
               thread_top_level_comments
        from marts.fct_ml_hiring_monthly
        where classification_method = 'title' and source_name = ?
            and posting_month between ? and ?
        order by posting_month
        """,
        [source, first, last],
    ).fetchall()
    covered = {row[0] for row in rows}
    missing = [row[0] for row in rows if row[5] == "missing"]
    month = first
    while month <= last:  # months before or after the data are missing too
        if f"{month:%Y-%m}" not in covered:
            missing.append(f"{month:%Y-%m}")
        month = add_months(month, 1)
    return Window(
        label=label,
        first=first,
        last=last,
        postings=sum(r[1] for r in rows),
        hits={
            "ml": sum(r[2] for r in rows),
            "deep_learning": sum(r[3] for r in rows),
            "llm": sum(r[4] for r in rows),
        },
        months_with_data=sum(1 for r in rows if r[1] > 0),
        missing=sorted(missing),
        partial=[r[0] for r in rows if r[5] == "partial"],
        methods=sorted({r[6] for r in rows if r[6]}),
        thread_comments=sum(r[7] or 0 for r in rows),
        thread_months=sum(1 for r in rows if r[7]),
    )


@dataclass(frozen=True)
class VolumeChange:
    what: str
    baseline: str
    per_month_now: float | None
    per_month_before: float | None
    verdict: str


def compare_volume(
    what: str, k1: int, months1: int, k0: int, months0: int, baseline: str
) -> VolumeChange:
    """Change of a monthly count (Poisson rate ratio with a 95% log interval)."""
    if not months1 or not months0:
        return VolumeChange(what, baseline, None, None, "not enough data")
    r1, r0 = k1 / months1, k0 / months0
    if k1 == 0 or k0 == 0:
        return VolumeChange(what, baseline, r1, r0, f"too few to size a change ({k1} vs {k0})")
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
    return VolumeChange(what, baseline, r1, r0, verdict)


def volume_changes(now: Window, before: Window) -> list[VolumeChange]:
    """Hiring volume, separately from the mix: counts a month rather than shares."""
    changes = [
        compare_volume(
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
            "all postings in the HN threads (real thread sizes)",
            now.thread_comments,
            now.thread_months,
            before.thread_comments,
            before.thread_months,
            before.label,
        )
    )
    return changes


@dataclass(frozen=True)
class Answer:
    windows: list[Window]
    comparisons: list[Comparison]
    volumes: list[VolumeChange]


def answer(
    analytics_db: Path, end_month: date | None = None, source: str = DEFAULT_SOURCE
) -> Answer:
    """Windows end at ``end_month`` (default: the source's newest month with postings)."""
    with connect_read_only(analytics_db) as con:
        if end_month is None:
            (end_month,) = con.execute(
                "select max(posting_month) from marts.fct_ml_hiring_monthly "
                "where classification_method = 'title' and postings > 0 and source_name = ?",
                [source],
            ).fetchone()
        if end_month is None:
            raise ValueError("the published warehouse has no postings yet")
        end = date(end_month.year, end_month.month, 1)
        now = load_window(con, source, "last 6 months", add_months(end, -5), end)
        before = load_window(
            con, source, "previous 6 months", add_months(end, -11), add_months(end, -6)
        )
        year_ago = load_window(
            con, source, "a year earlier", add_months(end, -17), add_months(end, -12)
        )
    comparisons = [
        compare(family, now, baseline) for family in FAMILIES for baseline in (before, year_ago)
    ]
    volumes = volume_changes(now, before) + volume_changes(now, year_ago)
    return Answer([now, before, year_ago], comparisons, volumes)
