"""The verdict's statistics: intervals, p-values and wording follow the data."""

import math
from datetime import date

import pytest

from hiring_signals.answer import Window, add_months, compare, two_proportion_p_value, wilson


def window(label: str, postings: int, ml: int) -> Window:
    return Window(
        label,
        date(2025, 1, 1),
        date(2025, 6, 1),
        postings,
        {"ml": ml, "deep_learning": 0, "llm": 0},
        6,
        [],
        [],
        ["thread_comments"],
    )


@pytest.mark.parametrize(("k", "n"), [(0, 10), (1, 10), (5, 10), (10, 10), (37, 1200)])
def test_wilson_interval_contains_the_share_and_stays_in_0_1(k, n):
    low, high = wilson(k, n)
    assert 0 <= low <= k / n <= high <= 1


def test_wilson_interval_narrows_as_samples_grow():
    small, large = wilson(10, 100), wilson(100, 1000)
    assert (large[1] - large[0]) < (small[1] - small[0])


def test_identical_shares_are_no_significant_change():
    result = compare("ml", window("now", 1000, 100), window("before", 1000, 100))
    assert result.relative_change == 0
    assert result.p_value == pytest.approx(1.0)
    assert result.verdict.endswith("no significant change")


def test_a_large_drop_is_called_a_real_decline_with_an_interval_below_zero():
    result = compare("ml", window("now", 2000, 100), window("before", 2000, 200))
    assert result.relative_change == pytest.approx(-0.5)
    assert result.ci_low < -0.5 < result.ci_high < 0
    assert result.p_value < 0.001
    assert result.verdict.startswith("down 50%") and result.verdict.endswith("a real decline")


def test_a_small_drop_on_few_postings_is_not_significant():
    result = compare("ml", window("now", 100, 8), window("before", 100, 10))
    assert result.relative_change < 0 and result.p_value > 0.05
    assert result.ci_low < 0 < result.ci_high
    assert "no significant change" in result.verdict


def test_p_value_is_symmetric_between_windows():
    assert two_proportion_p_value(30, 400, 50, 420) == pytest.approx(
        two_proportion_p_value(50, 420, 30, 400)
    )


def test_zero_counts_give_no_ratio_instead_of_dividing_by_zero():
    result = compare("ml", window("now", 300, 0), window("before", 300, 12))
    assert result.relative_change is None
    assert "too few ML postings" in result.verdict
    empty = compare("ml", window("now", 0, 0), window("before", 300, 12))
    assert empty.p_value is None and "no postings" in empty.verdict


def test_month_arithmetic_crosses_year_boundaries():
    assert add_months(date(2026, 3, 1), -5) == date(2025, 10, 1)
    assert add_months(date(2025, 12, 1), 1) == date(2026, 1, 1)
    assert not math.isnan(wilson(1, 2)[0])


def test_volume_change_compares_counts_per_month_not_shares():
    from hiring_signals.answer import compare_volume

    same_rate = compare_volume("ml", "ML postings", 60, 6, 120, 12, "before")
    assert same_rate.per_month_now == same_rate.per_month_before == 10
    assert same_rate.verdict.endswith("no significant change")
    halved = compare_volume("ml", "ML postings", 300, 6, 600, 6, "before")
    assert "down 50%" in halved.verdict and halved.verdict.endswith("a real decline")
    assert compare_volume("ml", "x", 5, 0, 5, 6, "before").verdict == "not enough data"
