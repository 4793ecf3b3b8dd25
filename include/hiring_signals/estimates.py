"""Shares corrected for classifier error, with intervals that carry every source of error.

The classifier's flagged share of a month misses what it misses and counts what it
flags wrongly. With its sensitivity (recall) and specificity measured on the labelled
test split of the same year, weighted by the sampling design, the Rogan-Gladen estimator
recovers the true share:

    true = (flagged + specificity - 1) / (sensitivity + specificity - 1)

The 95% interval is a percentile bootstrap over both sources of error at once: each
replicate resamples the labelled postings within their design strata (year x flag at
draw) and so re-measures the error rates, and draws the month's flagged count from a
binomial around the observed share (the month's postings as a sample of the hiring
process). One replicate uses the same error rates for every month of a year, so a
window's estimate (postings-weighted over its months) and the change between two
windows keep the correlation of their errors. A year whose test labels hold fewer than
``MIN_CLASS_LABELS`` positives or negatives of a family borrows the rates of all years
(method ``rogan_gladen_pooled``). Deterministic: the generator is seeded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binomtest

FAMILIES = ("ml", "deep_learning", "llm")
REPLICATES = 2000
SEED = 20190601
MIN_CLASS_LABELS = 5
# The error rates of a year drift when their 95% interval lies wholly outside the 95%
# interval of all other years pooled (a point estimate from ~50 test labels a year
# strays outside the pooled interval by chance alone). A year's interval is Wilson's on
# its Kish effective sample size: a percentile bootstrap collapses to a point when every
# labelled positive of a year was found.
DRIFT_ALPHA = 0.05


def bootstrap_counts(strata: np.ndarray, replicates: int, seed: int) -> np.ndarray:
    """How often each labelled posting appears in each replicate (replicates x postings),
    resampling with replacement within each stratum."""
    rng = np.random.default_rng(seed)
    counts = np.zeros((replicates, len(strata)), dtype=np.int32)
    for stratum in np.unique(strata):
        members = np.flatnonzero(strata == stratum)
        draws = rng.integers(0, len(members), size=(replicates, len(members)))
        replicate = np.repeat(np.arange(replicates), len(members))
        np.add.at(counts, (replicate, members[draws].ravel()), 1)
    return counts


def ratio_replicates(counts: np.ndarray, numerator: np.ndarray, denominator: np.ndarray):
    """Weighted ratio per replicate (NaN where the denominator is 0)."""
    num = counts @ numerator
    den = counts @ denominator
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


@dataclass(frozen=True)
class ErrorRates:
    """Sensitivity and specificity of one family in one year, point and replicates."""

    year: int | None  # None: all years pooled
    labelled: int
    positives: float  # weighted
    effective_positives: float  # Kish: (sum w)^2 / sum w^2 over the labelled positives
    effective_negatives: float
    sensitivity: float
    specificity: float
    sensitivity_replicates: np.ndarray
    specificity_replicates: np.ndarray
    method: str


def _rates(
    rows: np.ndarray,
    actual: np.ndarray,
    predicted: np.ndarray,
    weight: np.ndarray,
    counts: np.ndarray,
    year: int | None,
    method: str,
) -> ErrorRates:
    w = weight * rows
    tp, pos = w * (actual & predicted), w * actual
    tn, neg = w * (~actual & ~predicted), w * ~actual

    def kish(v: np.ndarray) -> float:
        return float(v.sum() ** 2 / (v**2).sum()) if (v**2).sum() else 0.0

    return ErrorRates(
        year,
        int(rows.sum()),
        float(pos.sum()),
        kish(pos),
        kish(neg),
        float(tp.sum() / pos.sum()) if pos.sum() else float("nan"),
        float(tn.sum() / neg.sum()) if neg.sum() else float("nan"),
        ratio_replicates(counts, tp, pos),
        ratio_replicates(counts, tn, neg),
        method,
    )


class ErrorModel:
    """Error rates per year and family from the labelled test split.

    ``judgements``: one row per labelled posting of the test split with ``posting_year``,
    ``stratum``, ``weight`` (1 / inclusion probability) and per family ``actual_<f>`` and
    ``predicted_<f>`` (booleans).
    """

    def __init__(self, judgements: pd.DataFrame, replicates: int = REPLICATES, seed: int = SEED):
        self.replicates = replicates
        # Sorted, so the seeded bootstrap does not depend on the order rows arrive in.
        data = judgements.sort_values("posting_id").reset_index(drop=True)
        counts = bootstrap_counts(data["stratum"].astype(str).to_numpy(), replicates, seed)
        weight = data["weight"].to_numpy(dtype=float)
        years = data["posting_year"].to_numpy(dtype=int)
        self.rates: dict[tuple[str, int | None], ErrorRates] = {}
        self.others: dict[tuple[str, int], ErrorRates] = {}
        every = np.ones(len(data), dtype=bool)
        for family in FAMILIES:
            actual = data[f"actual_{family}"].to_numpy(dtype=bool)
            predicted = data[f"predicted_{family}"].to_numpy(dtype=bool)
            pooled = _rates(every, actual, predicted, weight, counts, None, "rogan_gladen_pooled")
            self.rates[(family, None)] = pooled
            for year in sorted(set(years)):
                rows = years == year
                enough = (actual & rows).sum() >= MIN_CLASS_LABELS and (
                    ~actual & rows
                ).sum() >= MIN_CLASS_LABELS
                if enough:
                    own = _rates(rows, actual, predicted, weight, counts, year, "rogan_gladen_year")
                    self.rates[(family, year)] = own
                    self.others[(family, year)] = _rates(
                        ~rows, actual, predicted, weight, counts, None, "others"
                    )

    def for_year(self, family: str, year: int) -> ErrorRates:
        return self.rates.get((family, year), self.rates[(family, None)])

    def labels_behind(self, family: str, years: set[int]) -> int:
        """Labelled test postings whose rates correct these years: every one when any
        year falls back to the pooled rates, else those of the years."""
        if any((family, y) not in self.rates for y in years):
            return self.rates[(family, None)].labelled
        return sum(self.rates[(family, y)].labelled for y in years)

    def drift(self) -> list[dict[str, object]]:
        """Per family and year with its own rates: the rates, the interval of the other
        years pooled, and whether the year's rates fall outside it."""
        rows = []
        lo, hi = 100 * DRIFT_ALPHA / 2, 100 * (1 - DRIFT_ALPHA / 2)
        for (family, year), own in sorted(self.rates.items(), key=lambda kv: str(kv[0])):
            if year is None:
                continue
            other = self.others[(family, year)]
            row: dict[str, object] = {
                "family": family,
                "posting_year": year,
                "labelled": own.labelled,
            }
            drifted = False
            for name, n in (
                ("sensitivity", own.effective_positives),
                ("specificity", own.effective_negatives),
            ):
                low, high = np.nanpercentile(getattr(other, f"{name}_replicates"), [lo, hi])
                own_low, own_high = _wilson(getattr(own, name), n, 1 - DRIFT_ALPHA)
                row |= {
                    name: getattr(own, name),
                    f"{name}_ci_low": own_low,
                    f"{name}_ci_high": own_high,
                    f"others_{name}_ci_low": low,
                    f"others_{name}_ci_high": high,
                }
                drifted = drifted or own_high < low or own_low > high
            row["drifted"] = drifted
            rows.append(row)
        return rows


def _wilson(rate: float, n: float, confidence: float) -> tuple[float, float]:
    trials = max(1, round(n))
    interval = binomtest(round(rate * trials), trials).proportion_ci(confidence, "wilson")
    return (interval.low, interval.high)


def rogan_gladen(flagged, sensitivity, specificity):
    """The true share behind a flagged share (clipped to [0, 1]; NaN when the classifier
    is no better than chance)."""
    flagged, sens, spec = np.broadcast_arrays(
        np.asarray(flagged, float), np.asarray(sensitivity, float), np.asarray(specificity, float)
    )
    denominator = sens + spec - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(denominator > 0, (flagged + spec - 1) / denominator, np.nan)
    return np.clip(value, 0.0, 1.0)


@dataclass(frozen=True)
class Estimate:
    flagged_share: float | None
    estimated_share: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    replicates: np.ndarray  # the bootstrap distribution, for windows and changes


def percentile_interval(reps: np.ndarray) -> tuple[float | None, float | None]:
    """The 95% percentile interval of bootstrap replicates (NaN replicates left out)."""
    if np.isnan(reps).all():
        return (None, None)
    low, high = np.nanpercentile(reps, [2.5, 97.5])
    return (float(low), float(high))


def estimate(
    model: ErrorModel, family: str, months: list[tuple[int, int, int]], seed: int
) -> Estimate:
    """The true share of ``family`` over ``months``: (year, postings, flagged) each.
    Postings-weighted over the months; each month corrected with its year's rates."""
    months = [m for m in months if m[1] > 0]
    if not months:
        empty = np.full(model.replicates, np.nan)
        return Estimate(None, None, None, None, "none", empty)
    rng = np.random.default_rng(seed)
    total = sum(n for _, n, _ in months)
    point, reps = 0.0, np.zeros(model.replicates)
    methods = set()
    for year, n, k in months:
        rates = model.for_year(family, year)
        methods.add(rates.method)
        flagged_reps = rng.binomial(n, k / n, size=model.replicates) / n
        sens = np.where(
            np.isnan(rates.sensitivity_replicates),
            model.rates[(family, None)].sensitivity_replicates,
            rates.sensitivity_replicates,
        )
        spec = np.where(
            np.isnan(rates.specificity_replicates),
            model.rates[(family, None)].specificity_replicates,
            rates.specificity_replicates,
        )
        point += n * float(rogan_gladen(k / n, rates.sensitivity, rates.specificity))
        reps += n * rogan_gladen(flagged_reps, sens, spec)
    point, reps = point / total, reps / total
    low, high = percentile_interval(reps)
    method = methods.pop() if len(methods) == 1 else "rogan_gladen_year_and_pooled"
    flagged = sum(k for _, _, k in months) / total
    return Estimate(flagged, None if np.isnan(point) else point, low, high, method, reps)


@dataclass(frozen=True)
class Change:
    """Estimated true share now minus before (percentage points), with its interval."""

    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None  # two-sided, from the bootstrap distribution of the difference


def change(now: Estimate, before: Estimate) -> Change:
    if now.estimated_share is None or before.estimated_share is None:
        return Change(None, None, None, None)
    diff = now.replicates - before.replicates
    diff = diff[~np.isnan(diff)]
    if not len(diff):
        return Change(now.estimated_share - before.estimated_share, None, None, None)
    low, high = np.percentile(diff, [2.5, 97.5])
    p = min(1.0, 2 * min(np.mean(diff <= 0), np.mean(diff >= 0)))
    return Change(now.estimated_share - before.estimated_share, float(low), float(high), float(p))


ESTIMATE_COLUMNS = [
    "posting_month",
    "window_months",
    "window_start",
    "months_with_postings",
    "posting_year",
    "family",
    "postings",
    "flagged_postings",
    "flagged_share",
    "estimated_share",
    "estimated_share_ci_low",
    "estimated_share_ci_high",
    "method",
    "test_labels",
]


def test_judgements(judgements: pd.DataFrame) -> pd.DataFrame:
    """The labelled postings the error rates come from: design v2, test split."""
    return judgements[judgements["in_design"] & (judgements["split"] == "test")]


WINDOWS = (1, 6, 12)  # months: each month alone and the trailing half-year and year


def share_estimates(monthly: pd.DataFrame, judgements: pd.DataFrame) -> list[dict[str, object]]:
    """Per family, one row per month with postings and per trailing window (``WINDOWS``)
    ending in it: the flagged share and the estimated true share with its interval
    (``monthly``: fct_ml_hiring_monthly rows of one series). A window's estimate pools
    its months, each corrected with its own year's rates, in one bootstrap."""
    model = ErrorModel(test_judgements(judgements))
    months = [m for m in monthly.sort_values("posting_month").itertuples() if m.postings > 0]
    rows = []
    for i, month in enumerate(months):
        end = pd.Timestamp(month.posting_month)
        for window in WINDOWS:
            start = end - pd.DateOffset(months=window - 1)
            inside = [m for m in months if start <= pd.Timestamp(m.posting_month) <= end]
            for j, family in enumerate(FAMILIES):
                counts = [
                    (
                        pd.Timestamp(m.posting_month).year,
                        int(m.postings),
                        int(getattr(m, f"{family}_postings")),
                    )
                    for m in inside
                ]
                seed = (i * len(WINDOWS) + WINDOWS.index(window)) * len(FAMILIES) + j
                result = estimate(model, family, counts, seed=seed)
                rows.append(
                    {
                        "posting_month": month.posting_month,
                        "window_months": window,
                        "window_start": start,
                        "months_with_postings": len(inside),
                        "posting_year": end.year,
                        "family": family,
                        "postings": sum(n for _, n, _ in counts),
                        "flagged_postings": sum(k for _, _, k in counts),
                        "flagged_share": result.flagged_share,
                        "estimated_share": result.estimated_share,
                        "estimated_share_ci_low": result.ci_low,
                        "estimated_share_ci_high": result.ci_high,
                        "method": result.method,
                        "test_labels": model.labels_behind(family, {c[0] for c in counts}),
                    }
                )
    return rows


DRIFT_COLUMNS = [
    "family",
    "posting_year",
    "labelled",
    "sensitivity",
    "sensitivity_ci_low",
    "sensitivity_ci_high",
    "others_sensitivity_ci_low",
    "others_sensitivity_ci_high",
    "specificity",
    "specificity_ci_low",
    "specificity_ci_high",
    "others_specificity_ci_low",
    "others_specificity_ci_high",
    "drifted",
]


def error_rate_drift(judgements: pd.DataFrame) -> list[dict[str, object]]:
    return ErrorModel(test_judgements(judgements)).drift()
