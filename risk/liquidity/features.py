"""Liquidity features computed from daily OHLCV bars.

All functions take bars shaped by :func:`risk.liquidity.bars.prepare_bars` (date index, lower-case
``open/high/low/close/volume[/amount]``) and return pandas objects on the same index, so a caller
can line them up with the volume being forecast. Values a feature cannot have yet (the first days
of a rolling window, a one-day return on the first row) are NaN rather than a guessed number.

Features that describe day *t* use day *t*'s own bar. That is right for reporting and for the
regime indicator (which describes the market as of a close), and wrong for forecasting day *t*;
the forecasting code shifts them by one row. :func:`har_regressors` is the exception: it is built
for forecasting, so it only ever looks at rows strictly before the target day.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from risk.liquidity.bars import traded_value

#: Parkinson (1980) scale: E[ln(H/L)^2] = 4 ln 2 · σ² for a driftless Brownian motion.
_PARKINSON_SCALE = 4.0 * math.log(2.0)
#: Garman–Klass (1980) weight on the squared open-to-close log return.
_GARMAN_KLASS_OC_WEIGHT = 2.0 * math.log(2.0) - 1.0
#: Corwin–Schultz (2012) constant 3 − 2√2 from the two-day variance decomposition.
_CS_K = 3.0 - 2.0 * math.sqrt(2.0)


def _log_range_squared(bars: pd.DataFrame) -> pd.Series:
    return np.log(bars["high"] / bars["low"]) ** 2


def _annualised(variance: pd.Series, window: int | None, periods_per_year: float) -> pd.Series:
    """Turn per-day variance estimates into a (rolling) annualised volatility.

    Averaging variances and only then taking the square root is what makes a rolling range-based
    estimator unbiased for the window's variance; averaging daily volatilities would not be.
    """
    if periods_per_year <= 0:
        raise ValueError("periods_per_year must be positive")
    if window is not None:
        if window < 1:
            raise ValueError("window must be at least 1")
        variance = variance.rolling(window, min_periods=window).mean()
    return np.sqrt(variance * periods_per_year)


def parkinson_variance(bars: pd.DataFrame) -> pd.Series:
    """Daily Parkinson variance ``ln(H/L)² / (4 ln 2)``.

    The high/low range uses the whole day's path, so it is about five times more efficient than a
    squared close-to-close return and does not need a previous close (useful after a suspension).
    A one-price day (high = low) gives 0: the market showed no range, not missing data.
    """
    return (_log_range_squared(bars) / _PARKINSON_SCALE).rename("parkinson_variance")


def garman_klass_variance(bars: pd.DataFrame) -> pd.Series:
    """Daily Garman–Klass variance ``½ ln(H/L)² − (2 ln 2 − 1) ln(C/O)²``.

    Adds the open-to-close move to Parkinson's range, which lowers the estimator's variance. Since
    open and close lie inside [low, high] the value is never negative.
    """
    oc = np.log(bars["close"] / bars["open"]) ** 2
    variance = 0.5 * _log_range_squared(bars) - _GARMAN_KLASS_OC_WEIGHT * oc
    return variance.rename("garman_klass_variance")


def parkinson_volatility(
    bars: pd.DataFrame, *, window: int | None = None, periods_per_year: float = 252.0
) -> pd.Series:
    """Annualised Parkinson volatility: daily (``window=None``) or over a rolling window of days.

    ``periods_per_year`` is the annualisation factor (≈ 242–244 for A-shares, 252 for US);
    pass 1 for a per-day volatility.
    """
    result = _annualised(parkinson_variance(bars), window, periods_per_year)
    return result.rename("parkinson_volatility")


def garman_klass_volatility(
    bars: pd.DataFrame, *, window: int | None = None, periods_per_year: float = 252.0
) -> pd.Series:
    """Annualised Garman–Klass volatility, daily or rolling; see :func:`parkinson_volatility`."""
    result = _annualised(garman_klass_variance(bars), window, periods_per_year)
    return result.rename("garman_klass_volatility")


def simple_returns(bars: pd.DataFrame) -> pd.Series:
    """Close-to-close simple return from the previous *traded* day (gaps are not filled).

    Prices are taken as given: on unadjusted data a bonus issue or split shows up as a fake move,
    so feed adjusted closes when that matters.
    """
    return bars["close"].pct_change(fill_method=None).rename("return")


def amihud_daily(bars: pd.DataFrame) -> pd.Series:
    """Daily Amihud (2002) illiquidity ``|r_t| / amount_t`` (return per unit of traded value).

    ``amount`` is the day's traded value in currency. When the bars have no ``amount`` column
    (or a row's amount is missing) it is approximated by ``close × volume``, which ignores the
    intraday price path; see :func:`risk.liquidity.bars.traded_value`. The daily ratio is mostly
    noise (a quiet day has |r| ≈ 0 whatever the liquidity), so use :func:`amihud_monthly` or
    :func:`amihud_rolling` for decisions.
    """
    ratio = simple_returns(bars).abs() / traded_value(bars)
    return ratio.replace([np.inf, -np.inf], np.nan).rename("amihud")


def amihud_monthly(bars: pd.DataFrame, *, min_days: int = 1) -> pd.Series:
    """Amihud illiquidity averaged over the trading days of each calendar month.

    Returns a Series indexed by monthly ``Period``. Months with fewer than ``min_days`` valid daily
    values (e.g. a mostly suspended month) are NaN rather than an average of one or two noisy days.
    """
    daily = amihud_daily(bars).dropna()
    months = daily.index.to_period("M")
    grouped = daily.groupby(months)
    average = grouped.mean().where(grouped.count() >= min_days)
    average.index.name = "month"
    return average.rename("amihud_monthly")


def amihud_rolling(
    bars: pd.DataFrame, *, window: int = 22, min_days: int | None = None
) -> pd.Series:
    """Amihud illiquidity averaged over the last ``window`` trading days (inclusive of day *t*).

    A trailing-month version of :func:`amihud_monthly` that exists on every day, which the
    forecasting model and the regime indicator need.
    """
    minimum = window if min_days is None else min_days
    rolled = amihud_daily(bars).rolling(window, min_periods=minimum).mean()
    return rolled.rename("amihud_rolling")


def _overnight_adjusted(bars: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Day-t high/low shifted by the overnight gap from the previous close (Corwin–Schultz §2).

    If day *t* trades entirely above the previous close, the gap is a price move, not spread, so
    high and low are both moved down by it; symmetrically for a gap down.
    """
    prev_close = bars["close"].shift(1)
    gap_up = (bars["low"] - prev_close).clip(lower=0.0).fillna(0.0)
    gap_down = (prev_close - bars["high"]).clip(lower=0.0).fillna(0.0)
    shift = gap_down - gap_up
    return bars["high"] + shift, bars["low"] + shift


def corwin_schultz_spread(bars: pd.DataFrame, *, adjust_overnight: bool = True) -> pd.Series:
    """Two-day Corwin–Schultz (2012) bid-ask spread estimate from highs and lows.

    Uses days *t−1* and *t* and is stored on day *t*. Highs are nearly always buyer-initiated and
    lows seller-initiated, so the high/low ratio holds the spread plus volatility; volatility grows
    with the horizon and the spread does not, which the one-day vs two-day ranges separate:

    ``β = ln(H₁/L₁)² + ln(H₂/L₂)²``, ``γ = ln(max(H₁,H₂) / min(L₁,L₂))²``,
    ``α = (√(2β) − √β)/(3 − 2√2) − √(γ/(3 − 2√2))``, ``S = 2(e^α − 1)/(1 + e^α)``.

    Negative two-day estimates are set to 0 before any averaging, as in the paper. With
    ``adjust_overnight`` day *t*'s high/low are first corrected for an overnight gap.
    """
    high2, low2 = _overnight_adjusted(bars) if adjust_overnight else (bars["high"], bars["low"])
    high1, low1 = bars["high"].shift(1), bars["low"].shift(1)
    beta = np.log(high1 / low1) ** 2 + np.log(high2 / low2) ** 2
    gamma = np.log(np.maximum(high1, high2) / np.minimum(low1, low2)) ** 2
    alpha = (np.sqrt(2.0 * beta) - np.sqrt(beta)) / _CS_K - np.sqrt(gamma / _CS_K)
    spread = 2.0 * (np.exp(alpha) - 1.0) / (1.0 + np.exp(alpha))
    return spread.clip(lower=0.0).rename("corwin_schultz_spread")


def corwin_schultz_spread_rolling(
    bars: pd.DataFrame, *, window: int = 22, adjust_overnight: bool = True
) -> pd.Series:
    """Average of the (zero-floored) two-day Corwin–Schultz estimates over ``window`` days.

    Single two-day estimates are very noisy; the paper reports monthly averages.
    """
    two_day = corwin_schultz_spread(bars, adjust_overnight=adjust_overnight)
    return two_day.rolling(window, min_periods=window).mean().rename("corwin_schultz_rolling")


def turnover(bars: pd.DataFrame, free_float: float | pd.Series) -> pd.Series:
    """Turnover ``volume / free-float shares``.

    ``free_float`` is either a constant share count or a Series of counts indexed by the date each
    count became effective; it is carried forward to the bar dates (as-of), so days before its
    first date are NaN rather than borrowing a later share count.

    Raises:
        ValueError: if a free-float count is not positive.
    """
    if isinstance(free_float, pd.Series):
        if (free_float.dropna() <= 0).any():
            raise ValueError("free-float share counts must be positive")
        ordered = free_float.sort_index()
        ordered.index = pd.DatetimeIndex(ordered.index)
        aligned = ordered.reindex(ordered.index.union(bars.index)).ffill().reindex(bars.index)
        return (bars["volume"] / aligned).rename("turnover")
    if not free_float > 0:
        raise ValueError("free-float share count must be positive")
    return (bars["volume"] / float(free_float)).rename("turnover")


def log_volume(bars: pd.DataFrame) -> pd.Series:
    """Natural log of daily volume; non-positive volume becomes NaN (not a trading day)."""
    volume = bars["volume"].where(bars["volume"] > 0)
    return np.log(volume).rename("log_volume")


def har_regressors(log_vol: pd.Series, *, weekly: int = 5, monthly: int = 22) -> pd.DataFrame:
    """HAR terms for forecasting log volume on day *D*, from rows strictly before *D*.

    ``har_d`` is day *D−1*'s log volume, ``har_w`` the mean over *D−5..D−1* and ``har_m`` the mean
    over *D−22..D−1* (counting traded days, so a suspension does not dilute the averages). These
    are averages of log volume, the volume analogue of Corsi's (2009) heterogeneous-horizon model:
    traders reacting at daily, weekly and monthly horizons make volume persistent at all three.
    A row is NaN until a full month of history exists.
    """
    lagged = log_vol.shift(1)
    return pd.DataFrame(
        {
            "har_d": lagged,
            "har_w": lagged.rolling(weekly, min_periods=weekly).mean(),
            "har_m": lagged.rolling(monthly, min_periods=monthly).mean(),
        },
        index=log_vol.index,
    )


#: Smallest high/low range used in logs: about one tick on a ¥10 stock. A one-price limit day
#: (high = low) would otherwise give log(0).
RANGE_FLOOR = 1e-3
#: A close-to-close move at least this large is treated as a price-limit day (A-share main board
#: limits are ±10%, rounded to the tick, so a limit close shows up as roughly 9.9–10.1%).
LIMIT_MOVE = 0.095

#: Extra regressors :func:`har_extra_regressors` can supply to a HAR-type model.
HAR_EXTRA_COLUMNS: tuple[str, ...] = (
    "log_range_d",
    "log_range_w",
    "log_absret_d",
    "down_d",
    "limit_d",
    "dow_mon",
    "dow_tue",
    "dow_thu",
    "dow_fri",
    "month_end",
    "expiry",
    "post_closure",
)


def har_extra_regressors(bars: pd.DataFrame) -> pd.DataFrame:
    """Candidate extra regressors for a HAR-type model of day *D*'s log volume.

    Market terms use only bars strictly before *D* (shifted one row, like :func:`har_regressors`):

    * ``log_range_d`` / ``log_range_w``: log of day *D−1*'s high/low range ``ln(H/L)`` and its mean
      over *D−5..D−1* (volatility drives volume; the range is the efficient volatility proxy),
      floored at :data:`RANGE_FLOOR` so a one-price day stays finite;
    * ``log_absret_d``: log of day *D−1*'s absolute close-to-close return (floored likewise);
    * ``down_d``: day *D−1*'s return when negative, else 0 (falls bring more trading than rises);
    * ``limit_d``: 1 when day *D−1* moved by at least :data:`LIMIT_MOVE` (an A-share price-limit
      day; on a market without limits, an extreme-move day).

    Calendar terms describe day *D* itself and are known before it opens (a trading calendar is
    published in advance): weekday dummies (Wednesday is the base), ``month_end`` (the last
    weekday of the month: index rebalancing and window dressing), ``expiry`` (third Friday: US
    monthly options / CSI index futures expiry) and ``post_closure`` (the market was shut on a
    weekday since the previous traded row: a holiday, or for a single stock a suspension).
    """
    index = pd.DatetimeIndex(bars.index)
    log_range = np.log(np.log(bars["high"] / bars["low"]).clip(lower=RANGE_FLOOR))
    returns = simple_returns(bars)
    market = pd.DataFrame(
        {
            "log_range_d": log_range,
            "log_range_w": log_range.rolling(5, min_periods=5).mean(),
            "log_absret_d": np.log(returns.abs().clip(lower=RANGE_FLOOR)),
            "down_d": returns.clip(upper=0.0),
            "limit_d": (returns.abs() >= LIMIT_MOVE).astype(float).where(returns.notna()),
        },
        index=bars.index,
    ).shift(1)
    dow = index.day_of_week
    gaps = pd.Series(index, index=index).diff().dt.days.to_numpy()
    normal_gap = np.where(dow == 0, 3, 1)
    month_end = index == (index + pd.offsets.BMonthEnd(0))
    calendar = pd.DataFrame(
        {
            "dow_mon": dow == 0,
            "dow_tue": dow == 1,
            "dow_thu": dow == 3,
            "dow_fri": dow == 4,
            "month_end": month_end,
            "expiry": (dow == 4) & (index.day >= 15) & (index.day <= 21),
            "post_closure": gaps > normal_gap,
        },
        index=bars.index,
    ).astype(float)
    calendar.loc[pd.isna(gaps), "post_closure"] = np.nan
    return pd.concat([market, calendar], axis=1)[list(HAR_EXTRA_COLUMNS)]
