"""Regime indicator: scores on hand-computed data and classification at the boundaries."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from risk.liquidity import (
    Regime,
    RegimeParameters,
    classify_regime,
    market_regime,
    regime_history,
    regime_scores,
)

PARAMS = RegimeParameters(
    short_window=1,
    baseline_window=3,
    vol_z_stressed=2.0,
    vol_z_crisis=3.5,
    volume_drop_stressed=0.5,
    volume_drop_crisis=1.5,
    amihud_jump_stressed=0.7,
    amihud_jump_crisis=1.4,
    funding_z_stressed=2.0,
    funding_z_crisis=3.0,
)
NORMAL_SCORES = {"vol_z": 0.0, "volume_drop": 0.0, "amihud_jump": 0.0, "funding_z": 0.0}


def _four_days() -> pd.DataFrame:
    """ln(H/L) = 1%, 2%, 3%, 6%; log volume 12, 13, 14, 11; Amihud 1e-9 ×(–, 1, 1, 4)."""
    index = pd.bdate_range("2024-03-04", periods=4)
    log_range = np.array([0.01, 0.02, 0.03, 0.06])
    close = np.array([100.0, 101.0, 102.01, 106.0904])  # +1%, +1%, +4%
    volume = np.exp([12.0, 13.0, 14.0, 11.0])
    amount = np.array([1.0e7, 1.0e7, 1.0e7, 1.0e7])
    return pd.DataFrame(
        {
            "open": close,
            "high": close * np.exp(log_range),
            "low": close,
            "close": close,
            "volume": volume,
            "amount": amount,
        },
        index=index,
    )


def test_scores_hand_computed() -> None:
    funding = pd.Series([1.0, 2.0, 3.0, 5.0], index=pd.bdate_range("2024-03-04", periods=4))

    scores = regime_scores(_four_days(), PARAMS, funding=funding).iloc[-1]

    # volatility ∝ ln(H/L): (0.06 − mean(.01,.02,.03)) / std(.01,.02,.03) = 0.04 / 0.01 = 4
    assert scores["vol_z"] == pytest.approx(4.0, abs=1e-9)
    # mean(12, 13, 14) − 11 = 2
    assert scores["volume_drop"] == pytest.approx(2.0, abs=1e-12)
    # Amihud: today 0.04/1e7; the three days before: NaN (first day), 0.01/1e7, 0.01/1e7 → mean
    # needs 3 values, so the jump is not defined yet
    assert math.isnan(scores["amihud_jump"])
    # (5 − mean(1, 2, 3)) / std(1, 2, 3) = 3 / 1 = 3
    assert scores["funding_z"] == pytest.approx(3.0, abs=1e-12)


def test_amihud_jump_is_log_ratio_to_the_baseline_mean() -> None:
    bars = _four_days()
    extra = pd.DataFrame(
        {
            "open": 107.0,
            "high": 108.0,
            "low": 107.0,
            "close": 107.0,
            "volume": 1.0e5,
            "amount": 1.0e7,
        },
        index=[pd.Timestamp("2024-03-08")],
    )
    bars = pd.concat([bars, extra])
    returns = bars["close"].pct_change().abs() / 1.0e7

    scores = regime_scores(bars, PARAMS).iloc[-1]

    expected = math.log(returns.iloc[4] / returns.iloc[1:4].mean())
    assert scores["amihud_jump"] == pytest.approx(expected, abs=1e-12)
    assert math.isnan(scores["funding_z"])  # no funding series given


@pytest.mark.parametrize(
    ("signal", "score", "expected"),
    [
        ("vol_z", 1.999999, Regime.NORMAL),
        ("vol_z", 2.0, Regime.STRESSED),
        ("vol_z", 3.499999, Regime.STRESSED),
        ("vol_z", 3.5, Regime.CRISIS),
        ("volume_drop", 0.5, Regime.STRESSED),
        ("volume_drop", 1.5, Regime.CRISIS),
        ("amihud_jump", 0.699999, Regime.NORMAL),
        ("amihud_jump", 1.4, Regime.CRISIS),
        ("funding_z", 2.0, Regime.STRESSED),
        ("funding_z", 3.0, Regime.CRISIS),
        ("funding_z", math.nan, Regime.NORMAL),
    ],
)
def test_classification_boundaries(signal: str, score: float, expected: Regime) -> None:
    assessment = classify_regime({**NORMAL_SCORES, signal: score}, PARAMS)

    assert assessment.regime is expected
    assert assessment.signal_regimes[signal] is expected
    assert assessment.drivers == ([] if expected is Regime.NORMAL else [signal])


def test_worst_signal_sets_the_regime_and_every_score_is_reported() -> None:
    scores = {"vol_z": 2.5, "volume_drop": 1.6, "amihud_jump": 0.8, "funding_z": math.nan}

    assessment = classify_regime(scores, PARAMS, as_of=dt.date(2024, 3, 7))

    assert assessment.regime is Regime.CRISIS
    assert assessment.regime.label == "crisis"
    assert assessment.drivers == ["volume_drop"]
    assert assessment.signal_regimes == {
        "vol_z": Regime.STRESSED,
        "volume_drop": Regime.CRISIS,
        "amihud_jump": Regime.STRESSED,
        "funding_z": Regime.NORMAL,
    }
    assert assessment.scores["vol_z"] == 2.5


def test_market_regime_as_of_uses_bars_up_to_that_day() -> None:
    bars = _four_days()

    latest = market_regime(bars, PARAMS)
    earlier = market_regime(bars, PARAMS, as_of=dt.date(2024, 3, 6))

    assert latest.as_of == dt.date(2024, 3, 7)
    assert latest.regime is Regime.CRISIS  # vol_z 4 ≥ 3.5 and volume_drop 2 ≥ 1.5
    assert set(latest.drivers) == {"vol_z", "volume_drop"}
    assert earlier.as_of == dt.date(2024, 3, 6)
    assert earlier.regime is Regime.NORMAL  # not enough history for any baseline yet


def test_regime_history_labels_each_day() -> None:
    scores = pd.DataFrame(
        {
            "vol_z": [0.0, 2.0, 0.0],
            "volume_drop": [0.0, 0.0, 1.5],
            "amihud_jump": [np.nan, np.nan, np.nan],
            "funding_z": [np.nan, np.nan, np.nan],
        }
    )

    assert regime_history(scores, PARAMS).tolist() == ["normal", "stressed", "crisis"]


def test_parameters_reject_stressed_threshold_above_crisis() -> None:
    with pytest.raises(ValueError, match="vol_z"):
        RegimeParameters(1, 3, 4.0, 3.0, 0.5, 1.5, 0.7, 1.4, 2.0, 3.0)
