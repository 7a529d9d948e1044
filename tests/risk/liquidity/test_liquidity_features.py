"""Feature values against hand-computed examples."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risk.liquidity import (
    HAR_EXTRA_COLUMNS,
    amihud_daily,
    amihud_monthly,
    corwin_schultz_spread,
    corwin_schultz_spread_rolling,
    garman_klass_variance,
    garman_klass_volatility,
    har_extra_regressors,
    har_regressors,
    parkinson_variance,
    parkinson_volatility,
    prepare_bars,
    turnover,
)

BarsFactory = Callable[..., pd.DataFrame]


def _bars(rows: list[tuple[float, float, float, float, float]], start: str = "2024-01-02"):
    index = pd.bdate_range(start, periods=len(rows), name="date")
    return pd.DataFrame(rows, columns=["open", "high", "low", "close", "volume"], index=index)


def test_prepare_bars_normalises_columns_sorts_and_drops_non_trading_rows() -> None:
    raw = pd.DataFrame(
        {
            "Datetime": ["2024-01-03", "2024-01-02", "2024-01-04"],
            "Open": [10.0, 9.0, 11.0],
            "High": [11.0, 10.0, 12.0],
            "Low": [9.0, 8.0, 10.0],
            "Close": [10.5, 9.5, 11.5],
            "Volume": [100.0, 200.0, 0.0],
            "Adj Close": [1.0, 1.0, 1.0],
        }
    )

    bars = prepare_bars(raw, date_column="Datetime")

    assert list(bars.columns) == ["open", "high", "low", "close", "volume"]
    assert list(bars.index) == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-03")]
    assert bars["volume"].tolist() == [200.0, 100.0]


def test_prepare_bars_rejects_missing_columns() -> None:
    with pytest.raises(ValueError, match="missing required columns: volume"):
        prepare_bars(pd.DataFrame({"open": [1.0], "high": [1.0], "low": [1.0], "close": [1.0]}))


def test_parkinson_daily_variance_and_volatility() -> None:
    # ln(110/100)^2 / (4 ln 2) = 0.0953101798^2 / 2.7725887222 = 0.0032763713930836
    bars = _bars([(100.0, 110.0, 100.0, 105.0, 1.0), (100.0, 100.0, 100.0, 100.0, 1.0)])

    variance = parkinson_variance(bars)
    daily_vol = parkinson_volatility(bars, periods_per_year=1)
    annual_vol = parkinson_volatility(bars, periods_per_year=252)

    assert variance.iloc[0] == pytest.approx(0.0032763713930836, abs=1e-15)
    assert variance.iloc[1] == 0.0  # one-price day: no range, not missing
    assert daily_vol.iloc[0] == pytest.approx(math.sqrt(0.0032763713930836), abs=1e-15)
    assert annual_vol.iloc[0] == pytest.approx(math.sqrt(0.0032763713930836 * 252), abs=1e-14)


def test_rolling_volatility_averages_variances_before_the_square_root() -> None:
    bars = _bars([(100.0, 110.0, 100.0, 105.0, 1.0), (100.0, 100.0, 100.0, 100.0, 1.0)])

    rolling = parkinson_volatility(bars, window=2, periods_per_year=252)

    assert math.isnan(rolling.iloc[0])
    assert rolling.iloc[1] == pytest.approx(math.sqrt(0.0032763713930836 / 2 * 252), abs=1e-14)


def test_garman_klass_variance() -> None:
    # 0.5 ln(110/95)^2 − (2 ln 2 − 1) ln(105/100)^2
    # = 0.5 · 0.146603474^2 − 0.386294361 · 0.048790164^2 = 0.00982672327557351
    bars = _bars([(100.0, 110.0, 95.0, 105.0, 1.0), (100.0, 110.0, 95.0, 105.0, 1.0)])

    assert garman_klass_variance(bars).iloc[0] == pytest.approx(0.00982672327557351, abs=1e-15)
    rolling = garman_klass_volatility(bars, window=2, periods_per_year=4)
    assert rolling.iloc[1] == pytest.approx(math.sqrt(0.00982672327557351 * 4), abs=1e-14)


def test_amihud_daily_uses_amount_or_close_times_volume() -> None:
    bars = _bars([(10.0, 10.0, 10.0, 10.0, 1000.0), (11.0, 11.0, 11.0, 11.0, 1000.0)])
    with_amount = bars.assign(amount=[1.0e4, 2.0e6])

    # |11/10 − 1| / amount: 0.1 / 2e6 = 5e-8, or 0.1 / (11 × 1000) with no amount column.
    assert math.isnan(amihud_daily(bars).iloc[0])
    assert amihud_daily(with_amount).iloc[1] == pytest.approx(5.0e-8, rel=1e-12)
    assert amihud_daily(bars).iloc[1] == pytest.approx(0.1 / 11_000.0, rel=1e-12)


def test_amihud_monthly_averages_calendar_months_and_drops_thin_months() -> None:
    index = pd.DatetimeIndex(["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02"])
    bars = pd.DataFrame(
        {
            "open": 1.0,
            "high": 1.0,
            "low": 1.0,
            "close": [10.0, 11.0, 9.9, 9.9],
            "volume": 1.0,
            "amount": [1.0e6, 1.0e6, 2.0e6, 1.0e6],
        },
        index=index,
    )
    # Jan: one value 0.1/1e6 = 1e-7.  Feb: (0.1/2e6 + 0/1e6) / 2 = 2.5e-8.
    monthly = amihud_monthly(bars)
    strict = amihud_monthly(bars, min_days=2)

    assert monthly.index.tolist() == [pd.Period("2024-01", "M"), pd.Period("2024-02", "M")]
    assert monthly.tolist() == pytest.approx([1.0e-7, 2.5e-8], rel=1e-12)
    assert math.isnan(strict.iloc[0])
    assert strict.iloc[1] == pytest.approx(2.5e-8, rel=1e-12)


def test_corwin_schultz_equals_relative_range_when_two_days_are_identical() -> None:
    # With no volatility the high/low range is pure spread: β = 2x², γ = x², α = x = ln(H/L),
    # so S = 2(H/L − 1)/(1 + H/L) = 2(H − L)/(H + L) = 2 · 0.5 / 20.5 = 2/41.
    bars = _bars([(10.2, 10.5, 10.0, 10.2, 1.0), (10.2, 10.5, 10.0, 10.2, 1.0)])

    spread = corwin_schultz_spread(bars)

    assert math.isnan(spread.iloc[0])
    assert spread.iloc[1] == pytest.approx(2.0 / 41.0, abs=1e-14)


def test_corwin_schultz_two_day_value() -> None:
    # β = ln(10.5/10)^2 + ln(10.6/10.1)^2 = 0.004715165029155, γ = ln(10.6/10)^2 = 0.003395265654
    # α = (√(2β) − √β)/(3 − 2√2) − √(γ/(3 − 2√2)) = 0.025103357526761, S = 0.025102039310026
    bars = _bars([(10.2, 10.5, 10.0, 10.2, 1.0), (10.3, 10.6, 10.1, 10.3, 1.0)])

    assert corwin_schultz_spread(bars).iloc[1] == pytest.approx(0.025102039310026, abs=1e-14)


def test_corwin_schultz_negative_estimate_is_zero_unless_overnight_gap_removed() -> None:
    # Day 2 trades wholly above day 1's close of 10.2 (gap up 0.8). Unadjusted, the jump looks
    # like volatility and α < 0 (S = −0.1776 → 0). Adjusted, day 2 becomes 10.7/10.2:
    # S = 0.001650637844968.
    bars = _bars([(10.2, 10.5, 10.0, 10.2, 1.0), (11.2, 11.5, 11.0, 11.2, 1.0)])

    assert corwin_schultz_spread(bars, adjust_overnight=False).iloc[1] == 0.0
    assert corwin_schultz_spread(bars).iloc[1] == pytest.approx(0.001650637844968, abs=1e-14)


def test_corwin_schultz_rolling_averages_floored_two_day_estimates() -> None:
    bars = _bars(
        [
            (10.2, 10.5, 10.0, 10.2, 1.0),
            (10.2, 10.5, 10.0, 10.2, 1.0),
            (11.2, 11.5, 11.0, 11.2, 1.0),
        ]
    )

    rolling = corwin_schultz_spread_rolling(bars, window=2, adjust_overnight=False)

    assert rolling.iloc[2] == pytest.approx((2.0 / 41.0 + 0.0) / 2, abs=1e-14)


def test_turnover_with_scalar_and_dated_free_float() -> None:
    bars = _bars([(1.0, 1.0, 1.0, 1.0, 500.0)] * 3, start="2024-01-02")
    free_float = pd.Series([1000.0, 2000.0], index=pd.to_datetime(["2024-01-03", "2024-01-04"]))

    assert turnover(bars, 1000.0).tolist() == [0.5, 0.5, 0.5]
    dated = turnover(bars, free_float)
    assert math.isnan(dated.iloc[0])  # before the first known share count
    assert dated.iloc[1:].tolist() == [0.5, 0.25]


def test_turnover_rejects_non_positive_free_float() -> None:
    bars = _bars([(1.0, 1.0, 1.0, 1.0, 500.0)])
    with pytest.raises(ValueError, match="positive"):
        turnover(bars, 0.0)


def test_har_regressors_are_lagged_means() -> None:
    log_vol = pd.Series(np.arange(30, dtype=float))

    har = har_regressors(log_vol)

    assert har.iloc[:22]["har_m"].isna().all()
    assert har.iloc[25].tolist() == [24.0, 22.0, 13.5]  # 24; mean(20..24); mean(3..24)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(-5, 5, allow_nan=False), min_size=30, max_size=40),
    day=st.integers(min_value=0, max_value=29),
    bump=st.floats(0.5, 50),
)
def test_har_regressors_use_only_days_before_the_target(
    values: list[float], day: int, bump: float
) -> None:
    original = pd.Series(values)
    changed = original.copy()
    changed.iloc[day:] += bump

    before = har_regressors(original).iloc[: day + 1]
    after = har_regressors(changed).iloc[: day + 1]

    pd.testing.assert_frame_equal(before, after)


def test_har_extra_regressors_hand_computed() -> None:
    dates = [
        "2024-05-14",  # Tue
        "2024-05-15",
        "2024-05-16",
        "2024-05-17",  # third Friday
        "2024-05-20",  # Monday after a normal weekend
        "2024-05-21",
        "2024-05-22",
        "2024-05-24",  # Friday after a Thursday closure
        "2024-05-31",  # last weekday of May, after a week's closure
    ]
    rows = [
        (10.0, 10.2, 9.8, 10.0, 100.0),
        (10.5, 11.0, 10.4, 11.0, 100.0),  # +10%: a limit-up close
        (11.0, 11.0, 11.0, 11.0, 5.0),  # one-price day: zero range
        (11.0, 11.2, 10.4, 10.45, 100.0),  # −5%
        *[(10.45, 10.6, 10.3, 10.45, 100.0)] * 5,
    ]
    bars = pd.DataFrame(
        rows,
        columns=["open", "high", "low", "close", "volume"],
        index=pd.DatetimeIndex(dates, name="date"),
    )

    extra = har_extra_regressors(bars)

    assert list(extra.columns) == list(HAR_EXTRA_COLUMNS)
    assert extra.iloc[0][["log_range_d", "log_absret_d", "down_d", "limit_d"]].isna().all()
    assert extra["log_range_d"].iloc[1] == pytest.approx(math.log(math.log(10.2 / 9.8)))
    assert extra["log_range_d"].iloc[3] == pytest.approx(math.log(1e-3))  # floored one-price day
    log_ranges = np.log(np.log(bars["high"] / bars["low"]).clip(lower=1e-3))
    assert extra["log_range_w"].iloc[5] == pytest.approx(log_ranges.iloc[:5].mean())
    assert math.isnan(extra["limit_d"].iloc[1])  # no return for the first row
    assert extra["limit_d"].tolist()[2:5] == [1.0, 0.0, 0.0]  # only the day after +10%
    assert extra["down_d"].iloc[4] == pytest.approx(10.45 / 11.0 - 1.0)
    assert extra["down_d"].iloc[2] == 0.0  # a rise is not a fall
    assert extra["log_absret_d"].iloc[4] == pytest.approx(math.log(0.05))
    assert extra["dow_tue"].tolist() == [1, 0, 0, 0, 0, 1, 0, 0, 0]
    assert extra["dow_mon"].tolist() == [0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert extra["dow_fri"].tolist() == [0, 0, 0, 1, 0, 0, 0, 1, 1]
    assert extra["expiry"].tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert extra["month_end"].tolist() == [0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert math.isnan(extra["post_closure"].iloc[0])
    assert extra["post_closure"].tolist()[1:] == [0, 0, 0, 0, 0, 0, 1, 1]


def test_har_extra_regressors_for_day_d_use_only_earlier_bars(bars_factory: BarsFactory) -> None:
    bars = bars_factory(120, seed=21)
    day = 80
    changed = bars.copy()
    changed.iloc[day:] = changed.iloc[day:].to_numpy() * [1.3, 1.5, 0.6, 0.7, 4.0]
    changed.iloc[day, :4] = 1.1 * changed["close"].iloc[day - 1]  # a one-price limit-up day
    suspended = changed.drop(changed.index[day + 1 : day + 15])  # a suspension after D

    original = har_extra_regressors(bars).iloc[: day + 1]

    pd.testing.assert_frame_equal(original, har_extra_regressors(changed).iloc[: day + 1])
    pd.testing.assert_frame_equal(
        original, har_extra_regressors(suspended).iloc[: day + 1], check_freq=False
    )
