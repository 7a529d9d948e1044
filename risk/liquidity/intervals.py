"""Forecast intervals and the log-to-shares conversion, from out-of-sample residuals.

The models forecast *log* volume. ``exp`` of a log forecast estimates the median volume, not the
mean, and the mean is what average-daily-volume (ADV) means. If the log residual ``e`` were normal
with variance σ², the mean would be ``exp(ŷ + σ²/2)``; volume residuals are skewed and fat-tailed,
so we use Duan's (1983) smearing estimator instead: ``ADV = exp(ŷ) · mean(exp(e))`` over recent
out-of-sample residuals. The interval ``[exp(ŷ + q_lo), exp(ŷ + q_hi)]`` uses the same residuals'
empirical quantiles, so it needs no distributional assumption and widens by itself in turbulent
periods. Only residuals whose outcome was known before the forecast day are used.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd


def _quantile_levels(coverage: float) -> tuple[float, float]:
    if not 0.0 < coverage < 1.0:
        raise ValueError("coverage must be strictly between 0 and 1")
    tail = (1.0 - coverage) / 2.0
    return tail, 1.0 - tail


def interval_from_residuals(
    residuals: npt.ArrayLike, *, coverage: float
) -> tuple[float, float, float]:
    """Return ``(q_lo, q_hi, smearing_factor)`` of log residuals for a central ``coverage``.

    Quantiles use linear interpolation (numpy's default, identical to pandas' rolling quantile).
    """
    values = np.asarray(residuals, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        raise ValueError("no residuals to build an interval from")
    low, high = _quantile_levels(coverage)
    q_lo, q_hi = np.quantile(values, [low, high])
    return float(q_lo), float(q_hi), float(np.mean(np.exp(values)))


def to_shares(
    log_forecast: npt.ArrayLike, q_lo: npt.ArrayLike, q_hi: npt.ArrayLike, smearing: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Convert log forecasts and residual statistics to ``(adv, lower, upper)`` in shares.

    With strongly skewed residuals the smeared mean can fall outside a narrow quantile band; the
    band is then widened to include it, so ``lower ≤ adv ≤ upper`` always holds.
    """
    centre = np.asarray(log_forecast, dtype=float)
    adv = np.exp(centre) * np.asarray(smearing, dtype=float)
    lower = np.fmin(np.exp(centre + np.asarray(q_lo, dtype=float)), adv)
    upper = np.fmax(np.exp(centre + np.asarray(q_hi, dtype=float)), adv)
    return adv, lower, upper


def rolling_intervals(
    forecast: pd.Series,
    actual: pd.Series,
    *,
    horizon: int = 1,
    coverage: float,
    residual_window: int = 250,
    min_residuals: int = 60,
) -> pd.DataFrame:
    """Per-day point forecast and interval in shares for a series of walk-forward forecasts.

    For the forecast of row *D*, the residuals used are the last ``residual_window`` of
    ``actual − forecast`` on rows ``≤ D − horizon`` (the ones whose outcome was known before *D*).
    Rows with fewer than ``min_residuals`` such residuals get NaN.

    Returns:
        DataFrame on ``forecast.index`` with ``log_forecast``, ``adv``, ``lower``, ``upper``,
        ``smearing`` and ``n_residuals``.
    """
    low, high = _quantile_levels(coverage)
    residual = (actual - forecast).to_numpy(dtype=float)
    known = np.flatnonzero(np.isfinite(residual))
    series = pd.Series(residual[known])
    window = series.rolling(residual_window, min_periods=min_residuals)
    stats = pd.DataFrame(
        {
            "q_lo": window.quantile(low),
            "q_hi": window.quantile(high),
            "smearing": np.exp(series).rolling(residual_window, min_periods=min_residuals).mean(),
            "n_residuals": series.rolling(residual_window, min_periods=1).count(),
        }
    )
    stats.loc[len(stats)] = np.nan  # row used when no residual is known yet
    last_known = np.searchsorted(known, np.arange(len(forecast)) - horizon, side="right") - 1
    picked = stats.iloc[np.where(last_known >= 0, last_known, len(stats) - 1)]
    adv, lower, upper = to_shares(
        forecast.to_numpy(dtype=float), picked["q_lo"], picked["q_hi"], picked["smearing"]
    )
    return pd.DataFrame(
        {
            "log_forecast": forecast.to_numpy(dtype=float),
            "adv": adv,
            "lower": lower,
            "upper": upper,
            "smearing": picked["smearing"].to_numpy(),
            "n_residuals": picked["n_residuals"].fillna(0).to_numpy(),
        },
        index=forecast.index,
    )
