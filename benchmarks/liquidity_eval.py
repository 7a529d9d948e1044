"""Walk-forward evaluation of the volume models on real daily bars (runs offline).

The evaluation itself is :mod:`risk.liquidity.evaluation` (the console's model evaluation,
``manage.py liquidity_evaluate``, runs the same code and stores the figures); this script prints
the full table, the hold-out block and the dev-slice tuning.

Usage (from the project root)::

    .venv/bin/python benchmarks/liquidity_eval.py            # all forecast days
    .venv/bin/python benchmarks/liquidity_eval.py --slice dev  # first 30% only
    .venv/bin/python benchmarks/liquidity_eval.py --tune-dev   # re-run the HAR and ML choices

For each series the 20-day rolling mean, the plain HAR (``har_plain``), the chosen HAR-type
specification (``har``) and gradient boosting forecast next-day log volume walk-forward (see
:mod:`risk.liquidity.forecasting` for windows and refit frequency, all fixed up front). MSEs are
compared over the *same* forecast days: those where every model and the outcome exist. The
``dev`` slice (the first 30% of each series' forecast days) is the only part that was looked at
while the models were being built; the rest is an untouched hold-out, printed separately.
``--tune-dev`` reproduces the two choices made on it, each among candidates fixed in advance,
scored on bars truncated at the end of each dev slice (so nothing later is ever computed), the
lowest mean MSE ratio over the five series winning:

* the HAR-type specification (:data:`HAR_CANDIDATES`; the winner is ``HAR_CHOSEN``, the
  ``ForecastSettings`` default), and
* the gradient-boosting configuration (:data:`DEV_CANDIDATES`; the ``BoostingConfig`` default).

The last line printed is one JSON object ``{series: {"har_mse_ratio": …, "ml_mse_ratio": …}}``
where ``har`` is the chosen HAR-type specification.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from risk.liquidity import (  # noqa: E402  (needs the path above when run as a script)
    HAR_CHOSEN,
    BoostingConfig,
    ForecastSettings,
    HarSpec,
    forecasts_from_features,
    model_features,
    prepare_bars,
    volume_target,
)
from risk.liquidity.evaluation import (  # noqa: E402
    COVERAGE,
    DEV_FRACTION,
    HAR_TARGET,
    MODEL_ROWS,
    PLAIN_SETTINGS,
    SERIES,
    SeriesResult,
    evaluate_series,
    select_days,
    summary,
)

#: Extra HAR regressors grouped by motivation (see ``risk.liquidity.features``).
_RANGE = ("log_range_d", "log_range_w")  # volatility drives volume
_RETURN = ("log_absret_d", "down_d")  # large and negative moves bring trading
_LIMIT = ("limit_d",)  # after an A-share price-limit day
_CALENDAR = (  # known before the day opens
    "dow_mon",
    "dow_tue",
    "dow_thu",
    "dow_fri",
    "month_end",
    "expiry",
    "post_closure",
)
_MARKET = (*_RANGE, *_RETURN, *_LIMIT)


@dataclass(frozen=True)
class HarCandidate:
    """A HAR-type specification and the rolling training window it is fitted on."""

    spec: HarSpec
    train_window: int | None = 1000

    def settings(self) -> ForecastSettings:
        default = ForecastSettings()
        return replace(
            default,
            har=replace(default.har, train_window=self.train_window),
            har_spec=self.spec,
        )


def _candidate(
    name: str,
    extras: tuple[str, ...] = (),
    *,
    robust: bool = False,
    half_life: float | None = None,
    train_window: int | None = 1000,
) -> tuple[str, HarCandidate]:
    spec = HarSpec(name=name, extras=extras, robust=robust, half_life=half_life)
    return name, HarCandidate(spec, train_window)


#: Fixed before scoring: each option of the issue's menu alone on the plain HAR, the calendar
#: combined with the market terms, and the fitting variants (Huber, recency weights with a
#: one-year half-life, expanding / shorter window) on top. Winner: lowest mean dev MSE ratio.
HAR_CANDIDATES: dict[str, HarCandidate] = dict(
    [
        _candidate("har_plain"),
        _candidate("har_range", _RANGE),
        _candidate("har_ret", _RETURN),
        _candidate("har_limit", _LIMIT),
        _candidate("har_cal", _CALENDAR),
        _candidate("har_cal_mkt", (*_CALENDAR, *_MARKET)),
        _candidate("har_plain_huber", robust=True),
        _candidate("har_cal_huber", _CALENDAR, robust=True),
        _candidate("har_plain_hl250", half_life=250.0),
        _candidate("har_cal_hl250", _CALENDAR, half_life=250.0),
        _candidate("har_cal_mkt_hl250", (*_CALENDAR, *_MARKET), half_life=250.0),
        _candidate("har_cal_expanding", _CALENDAR, train_window=None),
        _candidate("har_cal_w500", _CALENDAR, train_window=500),
    ]
)
# ``har_plain`` has the evaluation's baseline settings (``PLAIN_SETTINGS``; a test checks it).


def _describe(spec: HarSpec, train_window: int | None) -> str:
    extras = ", ".join(spec.extras) if spec.extras else "none"
    fit = "Huber" if spec.robust else "OLS"
    weights = f", half-life {spec.half_life:g} days" if spec.half_life else ""
    window = "expanding" if train_window is None else f"rolling {train_window}"
    return f"{spec.name} = HAR + [{extras}]; {fit}{weights}; {window} window"


def _ratio_block(results: list[SeriesResult], title: str, holdout: bool) -> None:
    labels = {"har_plain": "har_plain", "har": f"har ({HAR_CHOSEN.name})", "ml": "ml"}
    width = max(len(label) for label in labels.values()) + 2
    print(title)
    print(f"{'model':<{width}}" + "".join(f"{r.name:>9}" for r in results))
    for model in MODEL_ROWS:
        cells = "".join(f"{(r.holdout if holdout else r.ratios)[model]:>9.3f}" for r in results)
        print(f"{labels[model]:<{width}}{cells}")


def _print_table(results: list[SeriesResult], slice_name: str, seconds: float) -> None:
    header = (
        f"{'series':<8}{'rows':>6}{'drop':>5}{'n_fc':>6}  {'first':<10} {'last':<10}"
        f"{'MSE roll':>9}{'plain':>7}{'HAR/roll':>9}{'ML/roll':>8}{'cov HAR':>8}{'cov ML':>7}"
        f"{'t HAR':>7}{'t ML':>7}  verdict"
    )
    print(f"Walk-forward next-day log-volume MSE, slice={slice_name}, interval coverage {COVERAGE}")
    print(f"HAR: {_describe(HAR_CHOSEN, ForecastSettings().har.train_window)}")
    print("     (chosen on the dev slices only: --tune-dev); plain = har_plain, the original HAR")
    print(header)
    print("-" * len(header))
    for r in results:
        verdict = [
            f"HAR {'meets' if r.har_ratio <= HAR_TARGET else 'MISSES'} ≤{HAR_TARGET}",
            "ML beats HAR" if r.ml_ratio < r.har_ratio else "ML does not beat HAR",
        ]
        print(
            f"{r.name:<8}{r.rows:>6}{r.dropped:>5}{r.n_forecasts:>6}  {r.first:<10} {r.last:<10}"
            f"{r.mse_baseline:>9.4f}{r.ratios['har_plain']:>7.3f}{r.har_ratio:>9.3f}"
            f"{r.ml_ratio:>8.3f}{r.har_coverage:>8.3f}{r.ml_coverage:>7.3f}"
            f"{r.har_seconds:>6.1f}s{r.ml_seconds:>6.1f}s  {'; '.join(verdict)}"
        )
    print(
        "drop = rows with zero volume, treated as non-trading days; cov = share of days whose "
        f"volume fell inside the {COVERAGE:.0%} interval"
    )
    print()
    _ratio_block(results, f"MSE / rolling-mean MSE, slice={slice_name}", holdout=False)
    print()
    _ratio_block(
        results,
        f"MSE / rolling-mean MSE, hold-out only (last {1 - DEV_FRACTION:.0%} of forecast days)",
        holdout=True,
    )
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


@dataclass(frozen=True)
class DevSeries:
    """One series cut at the end of its dev slice, ready for scoring candidates."""

    features: pd.DataFrame
    target: pd.Series
    days: pd.Index
    baseline_mse: float

    def ratio(self, forecast: pd.Series) -> float:
        actual = self.target.loc[self.days]
        return float(((forecast.loc[self.days] - actual) ** 2).mean()) / self.baseline_mse


def _dev_bars(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """Bars truncated at the last dev forecast day, and the dev forecast days.

    The days are fixed by the rolling mean and the plain HAR (the ML model starts on the same
    day), so they do not depend on which specification is being chosen.
    """
    bars = prepare_bars(raw)
    features, target = model_features(bars), volume_target(bars)
    frame = pd.DataFrame(
        {
            "rolling": forecasts_from_features(features, target, model="rolling"),
            "har": forecasts_from_features(features, target, model="har", settings=PLAIN_SETTINGS),
            "actual": target,
        }
    )
    days = select_days(frame.dropna().index, "dev")
    return bars.loc[: days[-1]], days


def _dev_series() -> dict[str, DevSeries]:
    prepared = {}
    for series, load in SERIES.items():
        bars, days = _dev_bars(load())
        features, target = model_features(bars), volume_target(bars)
        base = forecasts_from_features(features, target, model="rolling").loc[days]
        baseline_mse = float(((base - target.loc[days]) ** 2).mean())
        prepared[series] = DevSeries(features, target, days, baseline_mse)
    return prepared


def _print_choice(title: str, ratios: dict[str, dict[str, float]]) -> str:
    """Print candidate × series dev ratios and return the lowest-mean candidate."""
    width = max(len(name) for name in ratios) + 2
    print(title)
    print(f"{'candidate':<{width}}" + "".join(f"{s:>9}" for s in SERIES) + f"{'mean':>9}")
    for name, by_series in ratios.items():
        cells = "".join(f"{by_series[s]:>9.3f}" for s in SERIES)
        print(f"{name:<{width}}{cells}{np.mean(list(by_series.values())):>9.4f}")
    return min(ratios, key=lambda name: float(np.mean(list(ratios[name].values()))))


def tune_dev_har(prepared: dict[str, DevSeries]) -> str:
    """Score every HAR-type candidate on the dev slices only; return the winner."""
    ratios: dict[str, dict[str, float]] = {}
    for name, candidate in HAR_CANDIDATES.items():
        settings = candidate.settings()
        ratios[name] = {
            series: dev.ratio(
                forecasts_from_features(dev.features, dev.target, model="har", settings=settings)
            )
            for series, dev in prepared.items()
        }
    winner = _print_choice("HAR-type/roll MSE ratio on the development slices", ratios)
    chosen = HAR_CANDIDATES[winner]
    print(f"selected: {_describe(chosen.spec, chosen.train_window)}")
    current = HarCandidate(HAR_CHOSEN, ForecastSettings().har.train_window)
    print("matches the ForecastSettings default" if chosen == current else "DIFFERS from default")
    return winner


def tune_dev_ml(prepared: dict[str, DevSeries]) -> str:
    """Score every gradient-boosting candidate on the dev slices only; return the winner."""
    ratios: dict[str, dict[str, float]] = {name: {} for name in DEV_CANDIDATES}
    for series, dev in prepared.items():
        for name, config in DEV_CANDIDATES.items():
            settings = replace(PLAIN_SETTINGS, boosting=config)
            ml = forecasts_from_features(dev.features, dev.target, model="ml", settings=settings)
            ratios[name][series] = dev.ratio(ml)
    title = "ML/roll MSE ratio on the development slices (bars truncated at each slice's end)"
    winner = _print_choice(title, ratios)
    print(f"selected: {winner} = {DEV_CANDIDATES[winner]}")
    return winner


def tune_dev() -> tuple[str, str]:
    """Re-run both dev-slice choices (HAR-type specification, then boosting configuration)."""
    prepared = _dev_series()
    har = tune_dev_har(prepared)
    print()
    return har, tune_dev_ml(prepared)


def main(argv: list[str] | None = None) -> int:
    """Evaluate every series, print the table and, last, the JSON summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slice", choices=("all", "dev"), default="all")
    parser.add_argument(
        "--tune-dev", action="store_true", help="re-run the dev-slice HAR and ML choices"
    )
    args = parser.parse_args(argv)
    if args.tune_dev:
        # One thread, as in the evaluation (see ``evaluate_series``).
        with threadpool_limits(limits=1):
            tune_dev()
        return 0
    started = time.perf_counter()
    results = evaluate_series(slice_name="dev" if args.slice == "dev" else "all")
    _print_table(results, args.slice, time.perf_counter() - started)
    print(json.dumps(summary(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
