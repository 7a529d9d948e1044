"""Writes: the liquidity models' evaluation, stored for the console's evaluation table.

The figures are those of ``benchmarks/liquidity_eval.py`` (same code:
:mod:`risk.liquidity.evaluation`), computed offline from the bundled real series.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from core.money import quantize_rate
from risk.liquidity.evaluation import (
    HAR_NAME,
    HAR_TARGET,
    SeriesLoader,
    SeriesResult,
    evaluate_series,
)
from risk.stress.models import LiquidityModelEvaluation


def _rate(value: float) -> Decimal:
    return quantize_rate(Decimal(repr(float(value))))


def liquidity_models_evaluate(
    *,
    on: date,
    actor: Any,
    names: Iterable[str] | None = None,
    series: dict[str, SeriesLoader] | None = None,
) -> list[LiquidityModelEvaluation]:
    """Evaluate the volume models walk-forward on each series and store one row per series.

    ``names`` limits the run to some series of :data:`risk.liquidity.evaluation.SERIES` (or of
    ``series``, which replaces that catalogue, e.g. in tests). A rerun on the same day replaces
    that day's row of each series evaluated (its history keeps the earlier figures); rows of other
    days are kept. The models run before anything is written, outside the transaction.
    """
    started = time.perf_counter()
    results = evaluate_series(series, names=names)
    elapsed = int((time.perf_counter() - started) * 1000)
    return _store(results, on=on, actor=actor, elapsed=elapsed)


@transaction.atomic
def _store(
    results: list[SeriesResult], *, on: date, actor: Any, elapsed: int
) -> list[LiquidityModelEvaluation]:
    rows = []
    for result in sorted(results, key=lambda r: r.name):  # lock order: by series
        row, _ = LiquidityModelEvaluation.objects.update_or_create(
            series=result.name,
            evaluated_on=on,
            defaults={
                "har_model": HAR_NAME,
                "rows": result.rows,
                "forecasts": result.n_forecasts,
                "first_day": date.fromisoformat(result.first),
                "last_day": date.fromisoformat(result.last),
                "baseline_mse": _rate(result.mse_baseline),
                "har_plain_mse_ratio": _rate(result.ratios["har_plain"]),
                "har_mse_ratio": _rate(result.har_ratio),
                "ml_mse_ratio": _rate(result.ml_ratio),
                "holdout": {k: round(v, 6) for k, v in result.holdout.items()},
                "har_coverage": _rate(result.har_coverage),
                "ml_coverage": _rate(result.ml_coverage),
                "har_target": _rate(HAR_TARGET),
                "har_meets_target": result.har_meets_target,
                "ml_beats_har": result.ml_beats_har,
                "duration_ms": elapsed,
                "run_by": actor,
            },
        )
        rows.append(row)
    order = {r.name: i for i, r in enumerate(results)}
    return sorted(rows, key=lambda row: order[row.series])
