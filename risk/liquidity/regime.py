"""Market liquidity regime: normal / stressed / crisis, with the scores that drove it.

Four signals, each comparing the market's current state (over ``short_window`` days, up to and
including the as-of close) with its own recent history (``baseline_window`` days ending the day
before), so the same rule works for a large-cap index and a small stock:

* ``vol_z`` — z-score of short-window Parkinson volatility against its baseline distribution;
* ``volume_drop`` — baseline mean log volume minus short-window mean log volume (positive when
  volume dries up: 0.5 ≈ volume down 40%);
* ``amihud_jump`` — log of short-window Amihud illiquidity over its baseline mean (price impact per
  unit traded, up);
* ``funding_z`` — z-score of a funding rate (repo GC001/R007, SHIBOR) against its baseline.

Each signal maps to a level through a stressed and a crisis threshold (score ≥ threshold), and the
regime is the worst level of any signal: one clearly broken dimension of liquidity is enough to
act on, and the per-signal levels tell the risk officer which one it was.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from risk.liquidity.features import amihud_daily, log_volume, parkinson_variance

SIGNALS: tuple[str, ...] = ("vol_z", "volume_drop", "amihud_jump", "funding_z")


class Regime(enum.IntEnum):
    """Ordered so that the worst level is the ``max``."""

    NORMAL = 0
    STRESSED = 1
    CRISIS = 2

    @property
    def label(self) -> str:
        """Lower-case name for storage and display."""
        return self.name.lower()


@dataclass(frozen=True)
class RegimeParameters:
    """Windows and thresholds of the regime indicator; every value is caller-supplied."""

    short_window: int
    baseline_window: int
    vol_z_stressed: float
    vol_z_crisis: float
    volume_drop_stressed: float
    volume_drop_crisis: float
    amihud_jump_stressed: float
    amihud_jump_crisis: float
    funding_z_stressed: float
    funding_z_crisis: float

    def __post_init__(self) -> None:
        if self.short_window < 1 or self.baseline_window < 2:
            raise ValueError("short_window must be ≥ 1 and baseline_window ≥ 2")
        for signal in SIGNALS:
            stressed, crisis = self.thresholds(signal)
            if stressed > crisis:
                raise ValueError(f"{signal}: stressed threshold above crisis threshold")

    def thresholds(self, signal: str) -> tuple[float, float]:
        """``(stressed, crisis)`` thresholds of ``signal``."""
        return (
            float(getattr(self, f"{signal}_stressed")),
            float(getattr(self, f"{signal}_crisis")),
        )


@dataclass(frozen=True)
class RegimeAssessment:
    """The regime on ``as_of`` and why: every score and the level each one reached.

    A signal whose score is NaN (e.g. no funding series, too little history) is listed in
    ``scores`` as NaN and does not raise the level.
    """

    as_of: dt.date | None
    regime: Regime
    scores: dict[str, float]
    signal_regimes: dict[str, Regime]

    @property
    def drivers(self) -> list[str]:
        """Signals at the assessed regime's level (empty when normal)."""
        if self.regime is Regime.NORMAL:
            return []
        return [name for name, level in self.signal_regimes.items() if level == self.regime]


def _zscore(values: pd.Series, window: int) -> pd.Series:
    """Today's value against the mean/std of the ``window`` days ending yesterday."""
    history = values.shift(1).rolling(window, min_periods=window)
    z = (values - history.mean()) / history.std()
    return z.replace([np.inf, -np.inf], np.nan)


def _aligned_funding(funding: pd.Series, index: pd.DatetimeIndex) -> pd.Series:
    ordered = pd.to_numeric(funding.sort_index(), errors="coerce")
    ordered.index = pd.DatetimeIndex(ordered.index)
    return ordered.reindex(ordered.index.union(index)).ffill().reindex(index)


def regime_scores(
    bars: pd.DataFrame, params: RegimeParameters, *, funding: pd.Series | None = None
) -> pd.DataFrame:
    """Daily scores of the four signals (columns :data:`SIGNALS`), using data up to each close.

    ``funding`` is a rate series by date, carried forward as-of onto the bar dates.
    """
    short, base = params.short_window, params.baseline_window
    volatility = np.sqrt(parkinson_variance(bars).rolling(short, min_periods=short).mean())
    log_vol = log_volume(bars)
    recent_volume = log_vol.rolling(short, min_periods=short).mean()
    usual_volume = log_vol.shift(1).rolling(base, min_periods=base).mean()
    amihud = amihud_daily(bars)
    recent_amihud = amihud.rolling(short, min_periods=short).mean()
    usual_amihud = amihud.shift(1).rolling(base, min_periods=base).mean()
    index = pd.DatetimeIndex(bars.index)
    scores = pd.DataFrame(
        {
            "vol_z": _zscore(volatility, base),
            "volume_drop": usual_volume - recent_volume,
            "amihud_jump": np.log((recent_amihud / usual_amihud).where(recent_amihud > 0)),
            "funding_z": (
                _zscore(_aligned_funding(funding, index), base)
                if funding is not None
                else pd.Series(np.nan, index=index)
            ),
        },
        index=index,
    )
    return scores.replace([np.inf, -np.inf], np.nan)


def _level(score: float, stressed: float, crisis: float) -> Regime:
    if math.isnan(score):
        return Regime.NORMAL
    if score >= crisis:
        return Regime.CRISIS
    if score >= stressed:
        return Regime.STRESSED
    return Regime.NORMAL


def classify_regime(
    scores: Mapping[str, float], params: RegimeParameters, *, as_of: dt.date | None = None
) -> RegimeAssessment:
    """Map one day's scores to a regime; a score equal to a threshold reaches that level."""
    values = {name: float(scores.get(name, math.nan)) for name in SIGNALS}
    levels = {name: _level(values[name], *params.thresholds(name)) for name in SIGNALS}
    return RegimeAssessment(
        as_of=as_of, regime=max(levels.values()), scores=values, signal_regimes=levels
    )


def market_regime(
    bars: pd.DataFrame,
    params: RegimeParameters,
    *,
    funding: pd.Series | None = None,
    as_of: dt.date | None = None,
) -> RegimeAssessment:
    """Regime on ``as_of`` (default: the last bar), from bars up to and including that day.

    Raises:
        ValueError: if there is no bar on or before ``as_of``.
    """
    window = bars if as_of is None else bars.loc[: pd.Timestamp(as_of)]
    if window.empty:
        raise ValueError("no bars on or before as_of")
    scores = regime_scores(window, params, funding=funding).iloc[-1]
    return classify_regime(scores.to_dict(), params, as_of=window.index[-1].date())


def regime_history(scores: pd.DataFrame, params: RegimeParameters) -> pd.Series:
    """Vectorised regime label per day for a frame from :func:`regime_scores`."""
    level = pd.Series(int(Regime.NORMAL), index=scores.index)
    for signal in SIGNALS:
        stressed, crisis = params.thresholds(signal)
        column = scores[signal] if signal in scores else pd.Series(np.nan, index=scores.index)
        signal_level = np.select(
            [column >= crisis, column >= stressed], [int(Regime.CRISIS), int(Regime.STRESSED)], 0
        )
        level = np.maximum(level, signal_level)
    return pd.Series(level, index=scores.index).map(lambda v: Regime(int(v)).label)
