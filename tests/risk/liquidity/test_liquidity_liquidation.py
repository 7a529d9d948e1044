"""Days to liquidate and liquidity-adjusted haircuts on hand-computed numbers."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risk.liquidity import (
    LiquidityHaircutParameters,
    days_to_liquidate,
    liquidity_adjusted_value,
    liquidity_adjusted_values,
    liquidity_haircut,
)

PARAMS = LiquidityHaircutParameters(
    volatility_multiplier=2.0,
    days_coefficient=0.01,
    grace_days=1.0,
    max_haircut=1.0,
    periods_per_year=250.0,
)


def test_days_to_liquidate_scalar() -> None:
    # 1,000,000 / (10% × 2,000,000) = 5 days
    assert days_to_liquidate(1_000_000, 2_000_000, 0.1) == 5.0


def test_days_to_liquidate_vectorised_with_edge_cases() -> None:
    days = days_to_liquidate(
        np.array([1_000_000, -300_000, 0, 500, 500]),
        np.array([2_000_000, 1_000_000, 0, 0, np.nan]),
        np.array([0.1, 0.2, 0.1, 0.1, 0.1]),
    )

    assert isinstance(days, np.ndarray)
    # 5; |−300,000| / 200,000 = 1.5; nothing to sell = 0; suspended = ∞; unknown ADV = NaN
    np.testing.assert_array_equal(days, [5.0, 1.5, 0.0, np.inf, np.nan])


@pytest.mark.parametrize("rate", [0.0, -0.1, 1.5])
def test_days_to_liquidate_rejects_impossible_participation(rate: float) -> None:
    with pytest.raises(ValueError, match="participation_rate"):
        days_to_liquidate(100, 1000, rate)


def test_days_to_liquidate_rejects_negative_adv() -> None:
    with pytest.raises(ValueError, match="forecast_adv"):
        days_to_liquidate(100, -1, 0.1)


def test_haircut_hand_computed() -> None:
    # T = 6 − 1 = 5 days; 2 × 0.40 × √(5/250) = 0.8 × 0.1414213562 = 0.1131370850; 0.01 × 5 = 0.05
    # haircut = 0.30 + 0.1131370850 + 0.05 = 0.4631370850
    haircut = liquidity_haircut(0.30, 6.0, 0.40, PARAMS)

    assert haircut == pytest.approx(0.30 + 0.8 * math.sqrt(0.02) + 0.05, abs=1e-15)
    assert haircut == pytest.approx(0.4631370850, abs=1e-10)


def test_haircut_within_grace_is_the_base_and_cap_applies() -> None:
    capped = LiquidityHaircutParameters(
        volatility_multiplier=2.0,
        days_coefficient=0.01,
        grace_days=1.0,
        max_haircut=0.45,
        periods_per_year=250.0,
    )

    result = liquidity_haircut(
        np.array([0.30, 0.30, 0.30, 0.30]),
        np.array([0.5, 6.0, np.inf, 6.0]),
        np.array([0.40, 0.40, 0.40, np.nan]),
        capped,
    )

    # within grace → base; 0.463 capped at 0.45; unsellable → cap; unknown volatility → NaN
    np.testing.assert_allclose(result, [0.30, 0.45, 0.45, np.nan])


def test_haircut_rejects_invalid_inputs() -> None:
    with pytest.raises(ValueError, match="base haircut"):
        liquidity_haircut(1.2, 1.0, 0.2, PARAMS)
    with pytest.raises(ValueError, match="max_haircut"):
        LiquidityHaircutParameters(2.0, 0.01, 1.0, 0.0, 250.0)


@settings(max_examples=80, deadline=None)
@given(
    base=st.floats(0, 0.9),
    days=st.floats(0, 500),
    extra_days=st.floats(0, 100),
    vol=st.floats(0, 3),
    extra_vol=st.floats(0, 1),
)
def test_haircut_grows_with_days_and_volatility_and_stays_bounded(
    base: float, days: float, extra_days: float, vol: float, extra_vol: float
) -> None:
    low = liquidity_haircut(base, days, vol, PARAMS)
    longer = liquidity_haircut(base, days + extra_days, vol, PARAMS)
    riskier = liquidity_haircut(base, days, vol + extra_vol, PARAMS)

    assert base <= low <= longer <= PARAMS.max_haircut
    assert low <= riskier <= PARAMS.max_haircut


def test_adjusted_value_is_exact_decimal() -> None:
    assert liquidity_adjusted_value(Decimal("1000.00"), 0.35) == Decimal("650.0000")
    assert liquidity_adjusted_value(Decimal("1000.00"), 1.0) == Decimal("0")


def test_adjusted_value_refuses_float_money() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        liquidity_adjusted_value(1000.0, 0.35)  # type: ignore[arg-type]


def test_adjusted_values_screening_arrays() -> None:
    np.testing.assert_allclose(
        liquidity_adjusted_values([1000.0, 200.0], [0.35, 1.0]), [650.0, 0.0]
    )
