"""Walk-forward evaluation of the volume models on real daily bars (runs offline).

Usage (from the project root)::

    .venv/bin/python benchmarks/liquidity_eval.py            # all forecast days
    .venv/bin/python benchmarks/liquidity_eval.py --slice dev  # first 30% only
    .venv/bin/python benchmarks/liquidity_eval.py --tune-dev   # re-run the ML model choice

For each series the 20-day rolling mean, HAR and gradient boosting forecast next-day log volume
walk-forward (see :mod:`risk.liquidity.forecasting` for windows and refit frequency, all fixed up
front). MSEs are compared over the *same* forecast days: those where all three models and the
outcome exist. The ``dev`` slice (the first 30% of each series' forecast days) is the only part
that was looked at while the models were being built; the rest is an untouched hold-out.
``--tune-dev`` reproduces the one hyper-parameter choice made on it: six gradient-boosting
configurations fixed in advance, scored on bars truncated at the end of each dev slice (so nothing
later is ever computed), the lowest mean MSE ratio winning (it is the ``BoostingConfig`` default).

The last line printed is one JSON object ``{series: {"har_mse_ratio": …, "ml_mse_ratio": …}}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from risk.liquidity import (  # noqa: E402  (needs the path above when run as a script)
    BoostingConfig,
    ForecastSettings,
    forecasts_from_features,
    model_features,
    prepare_bars,
    rolling_intervals,
    volume_target,
)

ASHARE_DIR = PROJECT_ROOT / "markets" / "fixtures" / "ashare"
DEV_FRACTION = 0.3
COVERAGE = 0.9
HAR_TARGET = 0.75


def _arch_loader(name: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        from arch.data import nasdaq, sp500

        module = {"sp500": sp500, "nasdaq": nasdaq}[name]
        return module.load().drop(columns=["Adj Close"])

    return load


def _ashare_loader(code: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        return pd.read_csv(ASHARE_DIR / f"{code}.csv").set_index("datetime")

    return load


SERIES: dict[str, Callable[[], pd.DataFrame]] = {
    "sp500": _arch_loader("sp500"),
    "nasdaq": _arch_loader("nasdaq"),
    "000001": _ashare_loader("000001"),
    "000002": _ashare_loader("000002"),
    "000333": _ashare_loader("000333"),
}


@dataclass(frozen=True)
class SeriesResult:
    name: str
    rows: int
    dropped: int
    n_forecasts: int
    first: str
    last: str
    mse_baseline: float
    har_ratio: float
    ml_ratio: float
    har_coverage: float
    ml_coverage: float
    har_seconds: float
    ml_seconds: float
    holdout_har_ratio: float
    holdout_ml_ratio: float


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


def _select(days: pd.Index, slice_name: str) -> pd.Index:
    cut = int(len(days) * DEV_FRACTION)
    return days[:cut] if slice_name == "dev" else days


def _mse_ratios(common: pd.DataFrame) -> tuple[float, float, float]:
    """Baseline MSE and the HAR and ML MSEs divided by it, over the given days."""
    mse = {m: float(((common[m] - common["actual"]) ** 2).mean()) for m in ("rolling", "har", "ml")}
    return mse["rolling"], mse["har"] / mse["rolling"], mse["ml"] / mse["rolling"]


def evaluate(name: str, raw: pd.DataFrame, slice_name: str) -> SeriesResult:
    """Run the three models on one series and compare them over common forecast days."""
    bars = prepare_bars(raw)
    features = model_features(bars)
    target = volume_target(bars)
    baseline = forecasts_from_features(features, target, model="rolling")
    har, har_seconds = _timed(lambda: forecasts_from_features(features, target, model="har"))
    ml, ml_seconds = _timed(lambda: forecasts_from_features(features, target, model="ml"))
    frame = pd.DataFrame({"rolling": baseline, "har": har, "ml": ml, "actual": target})
    all_days = frame.dropna().index
    days = _select(all_days, slice_name)
    mse_baseline, har_ratio, ml_ratio = _mse_ratios(frame.loc[days])
    _, holdout_har, holdout_ml = _mse_ratios(
        frame.loc[all_days[int(len(all_days) * DEV_FRACTION) :]]
    )
    return SeriesResult(
        name=name,
        rows=len(bars),
        dropped=len(raw) - len(bars),
        n_forecasts=len(days),
        first=str(days[0].date()),
        last=str(days[-1].date()),
        mse_baseline=mse_baseline,
        har_ratio=har_ratio,
        ml_ratio=ml_ratio,
        har_coverage=_coverage(har, target, days),
        ml_coverage=_coverage(ml, target, days),
        har_seconds=har_seconds,
        ml_seconds=ml_seconds,
        holdout_har_ratio=holdout_har,
        holdout_ml_ratio=holdout_ml,
    )


def _print_table(results: list[SeriesResult], slice_name: str, seconds: float) -> None:
    header = (
        f"{'series':<8}{'rows':>6}{'drop':>5}{'n_fc':>6}  {'first':<10} {'last':<10}"
        f"{'MSE roll':>9}{'HAR/roll':>9}{'ML/roll':>8}{'cov HAR':>8}{'cov ML':>7}"
        f"{'t HAR':>7}{'t ML':>7}  verdict"
    )
    print(f"Walk-forward next-day log-volume MSE, slice={slice_name}, interval coverage {COVERAGE}")
    print(header)
    print("-" * len(header))
    for r in results:
        verdict = [
            f"HAR {'meets' if r.har_ratio <= HAR_TARGET else 'MISSES'} ≤{HAR_TARGET}",
            "ML beats HAR" if r.ml_ratio < r.har_ratio else "ML does not beat HAR",
        ]
        print(
            f"{r.name:<8}{r.rows:>6}{r.dropped:>5}{r.n_forecasts:>6}  {r.first:<10} {r.last:<10}"
            f"{r.mse_baseline:>9.4f}{r.har_ratio:>9.3f}{r.ml_ratio:>8.3f}"
            f"{r.har_coverage:>8.3f}{r.ml_coverage:>7.3f}"
            f"{r.har_seconds:>6.1f}s{r.ml_seconds:>6.1f}s  {'; '.join(verdict)}"
        )
    print(
        "drop = rows with zero volume, treated as non-trading days; cov = share of days whose "
        f"volume fell inside the {COVERAGE:.0%} interval"
    )
    holdout = ", ".join(
        f"{r.name} {r.holdout_har_ratio:.3f}/{r.holdout_ml_ratio:.3f}" for r in results
    )
    print(f"hold-out only (last {1 - DEV_FRACTION:.0%} of forecast days), HAR/ML: {holdout}")
    print(f"total time {seconds:.1f}s (reference HAR/roll: S&P 500 ≈ 0.70, NASDAQ ≈ 0.76)")


_BASE_CANDIDATES = {
    "A": BoostingConfig(max_iter=200, max_leaf_nodes=15, min_samples_leaf=40),
    "B": BoostingConfig(max_iter=100, max_leaf_nodes=7, min_samples_leaf=80),
    "C": BoostingConfig(max_iter=300, learning_rate=0.03, max_leaf_nodes=7, min_samples_leaf=60),
}
DEV_CANDIDATES: dict[str, BoostingConfig] = {
    f"{key}_{anchor}": replace(config, anchor=anchor)
    for anchor in ("monthly", "har")
    for key, config in _BASE_CANDIDATES.items()
}


def _dev_bars(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """Bars truncated at the last dev forecast day, and the dev forecast days."""
    bars = prepare_bars(raw)
    features, target = model_features(bars), volume_target(bars)
    frame = pd.DataFrame(
        {
            "rolling": forecasts_from_features(features, target, model="rolling"),
            "har": forecasts_from_features(features, target, model="har"),
            "actual": target,
        }
    )
    days = _select(frame.dropna().index, "dev")
    return bars.loc[: days[-1]], days


def tune_dev() -> str:
    """Score every candidate on the dev slices only; print the table and return the winner."""
    ratios: dict[str, dict[str, float]] = {name: {} for name in DEV_CANDIDATES}
    for series, load in SERIES.items():
        bars, days = _dev_bars(load())
        features, target = model_features(bars), volume_target(bars)
        actual = target.loc[days]
        base = forecasts_from_features(features, target, model="rolling").loc[days]
        base_mse = float(((base - actual) ** 2).mean())
        for name, config in DEV_CANDIDATES.items():
            settings = ForecastSettings(boosting=config)
            ml = forecasts_from_features(features, target, model="ml", settings=settings)
            ratios[name][series] = float(((ml.loc[days] - actual) ** 2).mean()) / base_mse
    print("ML/roll MSE ratio on the development slices (bars truncated at each slice's end)")
    print(f"{'candidate':<11}" + "".join(f"{s:>9}" for s in SERIES) + f"{'mean':>9}")
    for name, by_series in ratios.items():
        cells = "".join(f"{by_series[s]:>9.3f}" for s in SERIES)
        print(f"{name:<11}{cells}{np.mean(list(by_series.values())):>9.3f}")
    winner = min(ratios, key=lambda name: float(np.mean(list(ratios[name].values()))))
    print(f"selected: {winner} = {DEV_CANDIDATES[winner]}")
    return winner


def main(argv: list[str] | None = None) -> int:
    """Evaluate every series, print the table and, last, the JSON summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slice", choices=("all", "dev"), default="all")
    parser.add_argument("--tune-dev", action="store_true", help="re-run the dev-slice ML choice")
    args = parser.parse_args(argv)
    if args.tune_dev:
        tune_dev()
        return 0
    started = time.perf_counter()
    results = [evaluate(name, load(), args.slice) for name, load in SERIES.items()]
    _print_table(results, args.slice, time.perf_counter() - started)
    summary = {
        r.name: {"har_mse_ratio": round(r.har_ratio, 4), "ml_mse_ratio": round(r.ml_ratio, 4)}
        for r in results
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
