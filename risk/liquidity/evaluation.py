"""Walk-forward evaluation of the volume models against the 20-day rolling mean, on real bars.

Shared by ``benchmarks/liquidity_eval.py`` (prints the table and the JSON line) and the console's
model evaluation (``risk.stress.evaluation_services`` stores one row per series). Framework-free
and offline: the series are the ``arch`` package's bundled S&P 500 and NASDAQ daily bars and the
A-share CSVs shipped in ``markets/fixtures/ashare/`` (a copy of ``shared/data/ashare/``).

For each series the 20-day rolling mean, the plain HAR (``har_plain``), the chosen HAR-type
specification (``har``) and gradient boosting forecast next-day log volume walk-forward (see
:mod:`risk.liquidity.forecasting` for windows and refit frequency, all fixed up front). MSEs are
compared over the *same* forecast days: those where every model and the outcome exist. The
``dev`` slice (the first 30% of each series' forecast days) is the only part that was looked at
while the models were being built; the rest is an untouched hold-out, reported separately.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from risk.liquidity.bars import prepare_bars
from risk.liquidity.forecasting import ForecastSettings, forecasts_from_features, volume_target
from risk.liquidity.intervals import rolling_intervals
from risk.liquidity.models import HAR_CHOSEN, HAR_PLAIN, model_features

ASHARE_DIR = Path(__file__).resolve().parents[2] / "markets" / "fixtures" / "ashare"
DEV_FRACTION = 0.3
COVERAGE = 0.9
#: The issue's target: HAR's MSE at most 75% of the rolling mean's.
HAR_TARGET = 0.75
MODEL_ROWS = ("har_plain", "har", "ml")
SliceName = Literal["all", "dev", "holdout"]
SeriesLoader = Callable[[], pd.DataFrame]

#: The original HAR (OLS on the three HAR terms, rolling 1000-day window): the baseline row.
PLAIN_SETTINGS = replace(
    ForecastSettings(),
    har=replace(ForecastSettings().har, train_window=1000),
    har_spec=HAR_PLAIN,
)
#: The HAR-type specification ``model="har"`` uses (reported as ``har``).
HAR_NAME = HAR_CHOSEN.name


def _arch_loader(name: str) -> SeriesLoader:
    def load() -> pd.DataFrame:
        from arch.data import nasdaq, sp500

        module = {"sp500": sp500, "nasdaq": nasdaq}[name]
        frame: pd.DataFrame = module.load().drop(columns=["Adj Close"])
        return frame

    return load


def _ashare_loader(code: str) -> SeriesLoader:
    def load() -> pd.DataFrame:
        return pd.read_csv(ASHARE_DIR / f"{code}.csv").set_index("datetime")

    return load


#: Every evaluation series, in report order: two US indices, three A-shares.
SERIES: dict[str, SeriesLoader] = {
    "sp500": _arch_loader("sp500"),
    "nasdaq": _arch_loader("nasdaq"),
    "000001": _ashare_loader("000001"),
    "000002": _ashare_loader("000002"),
    "000333": _ashare_loader("000333"),
}
ASHARE_SERIES = ("000001", "000002", "000333")


@dataclass(frozen=True)
class SeriesResult:
    """One series' evaluation: MSE ratios against the rolling mean over common forecast days."""

    name: str
    rows: int
    dropped: int
    n_forecasts: int
    first: str
    last: str
    mse_baseline: float
    ratios: dict[str, float]
    holdout: dict[str, float]
    har_coverage: float
    ml_coverage: float
    har_seconds: float
    ml_seconds: float

    @property
    def har_ratio(self) -> float:
        return self.ratios["har"]

    @property
    def ml_ratio(self) -> float:
        return self.ratios["ml"]

    @property
    def har_meets_target(self) -> bool:
        return self.har_ratio <= HAR_TARGET

    @property
    def ml_beats_har(self) -> bool:
        return self.ml_ratio < self.har_ratio


def _timed(function: Callable[[], pd.Series]) -> tuple[pd.Series, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _coverage(forecast: pd.Series, actual: pd.Series, days: pd.Index) -> float:
    """Share of forecast days (that have an interval) whose volume fell inside the interval."""
    bands = rolling_intervals(forecast, actual, coverage=COVERAGE).loc[days].dropna()
    volume = np.exp(actual.loc[bands.index])
    inside = (volume >= bands["lower"]) & (volume <= bands["upper"])
    return float(inside.mean())


def select_days(days: pd.Index, slice_name: SliceName) -> pd.Index:
    """The forecast days of a slice: ``dev`` (first 30%), ``holdout`` (the rest) or ``all``."""
    cut = int(len(days) * DEV_FRACTION)
    if slice_name == "dev":
        return days[:cut]
    return days[cut:] if slice_name == "holdout" else days


def mse_ratios(common: pd.DataFrame) -> tuple[float, dict[str, float]]:
    """Baseline MSE and every model's MSE divided by it, over the given days.

    ``common`` has a column per model (``rolling`` and :data:`MODEL_ROWS`) and ``actual``.
    """
    mse = {m: float(((common[m] - common["actual"]) ** 2).mean()) for m in common.columns}
    return mse["rolling"], {m: mse[m] / mse["rolling"] for m in MODEL_ROWS}


def evaluate(name: str, raw: pd.DataFrame, slice_name: SliceName = "all") -> SeriesResult:
    """Run every model on one series and compare them over common forecast days."""
    bars = prepare_bars(raw)
    features = model_features(bars)
    target = volume_target(bars)
    baseline = forecasts_from_features(features, target, model="rolling")
    plain = forecasts_from_features(features, target, model="har", settings=PLAIN_SETTINGS)
    har, har_seconds = _timed(lambda: forecasts_from_features(features, target, model="har"))
    ml, ml_seconds = _timed(lambda: forecasts_from_features(features, target, model="ml"))
    frame = pd.DataFrame(
        {"rolling": baseline, "har_plain": plain, "har": har, "ml": ml, "actual": target}
    )
    all_days = frame.dropna().index
    days = select_days(all_days, slice_name)
    if len(days) == 0:
        raise ValueError(f"{name}: no day on which every model has a forecast")
    mse_baseline, ratios = mse_ratios(frame.loc[days])
    _, holdout = mse_ratios(frame.loc[select_days(all_days, "holdout")])
    return SeriesResult(
        name=name,
        rows=len(bars),
        dropped=len(raw) - len(bars),
        n_forecasts=len(days),
        first=str(days[0].date()),
        last=str(days[-1].date()),
        mse_baseline=mse_baseline,
        ratios=ratios,
        holdout=holdout,
        har_coverage=_coverage(har, target, days),
        ml_coverage=_coverage(ml, target, days),
        har_seconds=har_seconds,
        ml_seconds=ml_seconds,
    )


def evaluate_series(
    series: dict[str, SeriesLoader] | None = None,
    *,
    names: Iterable[str] | None = None,
    slice_name: SliceName = "all",
) -> list[SeriesResult]:
    """Evaluate every series of ``series`` (default :data:`SERIES`), or only ``names`` of it.

    One thread: each boosting fit sees at most ~1000 rows, too little for OpenMP to pay off, and
    on a busy machine its spinning threads made the run several times slower (results are the
    same either way).
    """
    available = SERIES if series is None else series
    wanted = list(available) if names is None else list(names)
    unknown = [n for n in wanted if n not in available]
    if unknown:
        raise KeyError(f"unknown evaluation series: {', '.join(unknown)}")
    with threadpool_limits(limits=1):
        return [evaluate(name, available[name](), slice_name) for name in wanted]


def summary(results: Iterable[SeriesResult]) -> dict[str, dict[str, Any]]:
    """The one-line JSON the benchmark ends with: ``{series: {har_mse_ratio, ml_mse_ratio}}``."""
    return {
        r.name: {"har_mse_ratio": round(r.har_ratio, 4), "ml_mse_ratio": round(r.ml_ratio, 4)}
        for r in results
    }
