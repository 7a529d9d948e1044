"""Days to liquidate and liquidity-adjusted collateral haircuts.

A position that takes days to sell is worth less as collateral than its mark: the price can move
against the firm while it is being sold, and selling a large block moves the price itself. The
haircut below adds both effects on top of the instrument's approved base haircut. Every
coefficient is a caller-supplied parameter (in Fulcrum: a dated, approved parameter set); nothing
here is a policy number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

FloatOrArray = float | npt.NDArray[np.float64]


def _result(values: npt.NDArray[np.float64], *inputs: npt.ArrayLike) -> FloatOrArray:
    """Scalar in, scalar out; arrays in, array out."""
    if all(np.ndim(value) == 0 for value in inputs):
        return float(values)
    return values


def days_to_liquidate(
    quantity: npt.ArrayLike, forecast_adv: npt.ArrayLike, participation_rate: npt.ArrayLike
) -> FloatOrArray:
    """Trading days needed to sell ``quantity`` taking ``participation_rate`` of each day's volume.

    ``days = |quantity| / (participation_rate × forecast_adv)``. Selling more than a fraction of
    the day's volume moves the price, so desks cap participation (a parameter); the forecast ADV
    comes from :func:`risk.liquidity.forecasting.forecast_volume`. A zero ADV (suspended, or a
    one-price limit day with no buyers) gives ``inf``: the position cannot be sold at all.
    Works element-wise on arrays (broadcasting).

    Raises:
        ValueError: if a participation rate is outside (0, 1] or an ADV is negative.
    """
    rate = np.asarray(participation_rate, dtype=float)
    adv = np.asarray(forecast_adv, dtype=float)
    if np.any((rate <= 0) | (rate > 1)):
        raise ValueError("participation_rate must be in (0, 1]")
    if np.any(adv < 0):
        raise ValueError("forecast_adv must not be negative")
    capacity = rate * adv
    qty = np.abs(np.asarray(quantity, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        days = np.where(qty == 0, 0.0, qty / capacity)
    return _result(np.asarray(days, dtype=float), quantity, forecast_adv, participation_rate)


@dataclass(frozen=True)
class LiquidityHaircutParameters:
    """Coefficients of the liquidity add-on to a collateral haircut (all caller-supplied).

    Attributes:
        volatility_multiplier: standard deviations of price move to cover during liquidation
            (e.g. a one-sided 99% quantile under normality would be ≈ 2.33).
        days_coefficient: haircut added per day of liquidation beyond ``grace_days`` (a linear
            proxy for the price impact of a position that is large relative to the market).
        grace_days: a position sold within this many days gets no add-on (ordinary liquidity is
            already priced into the base haircut).
        max_haircut: upper bound of the total haircut (1.0 lets collateral value reach zero).
        periods_per_year: trading days per year, to turn annualised volatility into per-day.
    """

    volatility_multiplier: float
    days_coefficient: float
    grace_days: float
    max_haircut: float
    periods_per_year: float

    def __post_init__(self) -> None:
        if min(self.volatility_multiplier, self.days_coefficient, self.grace_days) < 0:
            raise ValueError("haircut coefficients must not be negative")
        if not 0 < self.max_haircut <= 1:
            raise ValueError("max_haircut must be in (0, 1]")
        if self.periods_per_year <= 0:
            raise ValueError("periods_per_year must be positive")


def liquidity_haircut(
    base_haircut: npt.ArrayLike,
    days: npt.ArrayLike,
    annual_volatility: npt.ArrayLike,
    params: LiquidityHaircutParameters,
) -> FloatOrArray:
    """Total haircut = base + price risk during liquidation + impact, capped.

    With ``T = max(days − grace_days, 0)``:

    ``haircut = min(max_haircut, base + k · σ · √(T / periods_per_year) + c · T)``

    where ``σ`` is the annualised volatility, ``k`` the volatility multiplier and ``c`` the days
    coefficient. ``σ·√(T/year)`` is the standard deviation of the price over the ``T`` extra days
    the position stays exposed; it grows with the square root of time, impact linearly. An
    unsellable position (``days = inf``) gets ``max_haircut``. NaN inputs give NaN, so a missing
    forecast is never mistaken for a liquid position. Element-wise on arrays.

    Raises:
        ValueError: if a base haircut is outside [0, 1], or days or volatility are negative.
    """
    base = np.asarray(base_haircut, dtype=float)
    horizon = np.asarray(days, dtype=float)
    sigma = np.asarray(annual_volatility, dtype=float)
    if np.any((base < 0) | (base > 1)) or np.any(horizon < 0) or np.any(sigma < 0):
        raise ValueError("base haircut must be in [0, 1]; days and volatility non-negative")
    excess = np.maximum(horizon - params.grace_days, 0.0)
    finite = np.where(np.isinf(excess), 0.0, excess)
    add_on = (
        params.volatility_multiplier * sigma * np.sqrt(finite / params.periods_per_year)
        + params.days_coefficient * finite
    )
    total = np.where(np.isinf(excess), params.max_haircut, base + add_on)
    capped = np.where(np.isnan(total), np.nan, np.fmin(total, params.max_haircut))
    return _result(capped, base_haircut, days, annual_volatility)


def liquidity_adjusted_value(market_value: Decimal, haircut: float) -> Decimal:
    """Collateral value ``market_value × (1 − haircut)`` in exact Decimal, not yet quantised.

    Money stays Decimal: the float haircut is converted through its shortest repr, and the
    caller rounds the result with the firm's money helper.

    Raises:
        TypeError: if ``market_value`` is not a Decimal (floats are not money).
        ValueError: if ``haircut`` is not a number in [0, 1].
    """
    if not isinstance(market_value, Decimal):
        raise TypeError("market_value must be a Decimal")
    if not (math.isfinite(haircut) and 0 <= haircut <= 1):
        raise ValueError("haircut must be in [0, 1]")
    return market_value * (Decimal(1) - Decimal(repr(float(haircut))))


def liquidity_adjusted_values(
    market_values: npt.ArrayLike, haircuts: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Float screening version over arrays, for sweeps and stress tests.

    Results near a threshold must be confirmed with :func:`liquidity_adjusted_value`.
    """
    return np.asarray(market_values, dtype=float) * (1.0 - np.asarray(haircuts, dtype=float))
