"""Reads the stress tests and liquidity outputs need: bars as frames, volumes, parameters."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Max

from core import params
from markets.models import DailyBar, Instrument
from markets.rules import RuleBook
from risk.liquidity import LiquidityHaircutParameters, RegimeParameters
from risk.margin.book import Book
from risk.stress.keys import LIQUIDITY_SET, REGIME_INDICATOR_SET
from risk.stress.lots import LotSizes
from risk.stress.models import LiquidityForecast
from risk.stress.scenarios import Universe

_BAR_COLUMNS = ("open", "high", "low", "close", "volume")
VOLUME_FALLBACK_DAYS = 20


def bars_frames(instrument_ids: list[int], start: date, end: date) -> dict[int, pd.DataFrame]:
    """Daily bars per instrument in ``[start, end]`` as float frames (date index); one query."""
    rows = (
        DailyBar.objects.filter(instrument_id__in=instrument_ids, date__gte=start, date__lte=end)
        .order_by("instrument_id", "date")
        .values_list("instrument_id", "date", *_BAR_COLUMNS)
    )
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    frames = {}
    for pk, values in grouped.items():
        frame = pd.DataFrame(values, columns=["date", *_BAR_COLUMNS]).set_index("date")
        frame.index = pd.DatetimeIndex(frame.index)
        frames[pk] = frame.astype(float)
    return frames


def liquidity_settings(on: date) -> dict[str, Any]:
    """The ``liquidity-outputs`` values in force on ``on`` (decimals as floats)."""
    snap = params.snapshot(LIQUIDITY_SET, on)
    return {k: (float(v) if not isinstance(v, str | int) else v) for k, v in snap.items()}


def haircut_parameters(settings: dict[str, Any]) -> LiquidityHaircutParameters:
    return LiquidityHaircutParameters(
        volatility_multiplier=float(settings["volatility_multiplier"]),
        days_coefficient=float(settings["days_coefficient"]),
        grace_days=float(settings["grace_days"]),
        max_haircut=float(settings["max_haircut"]),
        periods_per_year=float(settings["periods_per_year"]),
    )


def regime_settings(on: date) -> tuple[RegimeParameters, dict[str, Any]]:
    """Indicator parameters in force on ``on`` and the rest of the set (reference, bounds)."""
    snap = dict(params.snapshot(REGIME_INDICATOR_SET, on).items())
    fields = RegimeParameters.__dataclass_fields__
    typed = {k: (int(v) if "window" in k else float(v)) for k, v in snap.items() if k in fields}
    return RegimeParameters(**typed), snap  # type: ignore[arg-type]


def latest_forecasts(instrument_ids: list[int], on: date) -> dict[int, LiquidityForecast]:
    """The newest stored forecast per instrument made from bars up to ``on``."""
    newest = (
        LiquidityForecast.objects.filter(instrument_id__in=instrument_ids, as_of__lte=on)
        .values("instrument_id")
        .annotate(last=Max("as_of"))
    )
    wanted = {(r["instrument_id"], r["last"]) for r in newest}
    rows = LiquidityForecast.objects.filter(
        instrument_id__in=[i for i, _ in wanted], as_of__in={d for _, d in wanted}
    ).order_by("instrument_id", "-created_at")
    found: dict[int, LiquidityForecast] = {}
    for row in rows:
        if (row.instrument_id, row.as_of) in wanted and row.instrument_id not in found:
            found[row.instrument_id] = row
    return found


def recent_mean_volumes(instrument_ids: list[int], on: date) -> dict[int, float]:
    """Mean volume of each instrument's last 20 bars up to ``on`` (one query, no frame per
    instrument: a 3,000-instrument book would otherwise spend seconds in pandas)."""
    rows = np.array(
        DailyBar.objects.filter(
            instrument_id__in=instrument_ids, date__gt=on - timedelta(days=60), date__lte=on
        )
        .order_by("instrument_id", "-date")
        .values_list("instrument_id", "volume"),
        dtype=float,
    )
    if rows.size == 0:
        return {}
    frame = pd.DataFrame(rows, columns=["instrument", "volume"])
    recent = frame.groupby("instrument").head(VOLUME_FALLBACK_DAYS)
    means = recent.groupby("instrument")["volume"].mean()
    return {int(k): float(v) for k, v in means.items()}


def universe_for(book: Book) -> Universe:
    """Codes, boards and forecast volume of the book's instruments (column order).

    Volume: the stored forecast ADV, else the mean of the last 20 bars; with neither, ``inf``
    (no volume cap: the instrument is then only limited by the scenario's own blocks).
    """
    ids = [int(i) for i in book.instrument_ids.tolist()]
    instruments = Instrument.objects.in_bulk(ids)
    forecasts = latest_forecasts(ids, book.on)
    missing = [i for i in ids if i not in forecasts]
    recent = recent_mean_volumes(missing, book.on) if missing else {}
    adv = np.full(len(ids), np.inf)
    for column, pk in enumerate(ids):
        if pk in forecasts:
            adv[column] = float(forecasts[pk].adv)
        elif pk in recent:
            adv[column] = recent[pk]
    return Universe(
        codes=[instruments[pk].code for pk in ids],
        boards=[instruments[pk].board for pk in ids],
        adv=adv,
    )


def lot_sizes_for(book: Book, rules: RuleBook | None = None) -> LotSizes:
    """Each of the book's instruments' lot rule on the book's day (``ashare-trading``)."""
    rules = rules or RuleBook.load()
    ids = [int(i) for i in book.instrument_ids.tolist()]
    instruments = Instrument.objects.in_bulk(ids)
    return LotSizes.from_rules([rules.lots(instruments[pk], book.on) for pk in ids])
