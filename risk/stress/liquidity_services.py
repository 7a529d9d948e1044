"""Liquidity outputs: stored volume forecasts, days to liquidate, liquidity-adjusted collateral,
and the market regime indicator feeding credit's leverage cap through an approval.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from core import audit, params
from core.enums import AuditAction, ParameterSource, ParameterStatus
from core.models import ParameterSet, ParameterVersion
from credit.keys import REGIME_SET
from credit.services import market_regime_propose
from markets.calendar import next_trading_day
from markets.models import DailyBar, Instrument
from markets.selectors import funding_series_values
from risk.liquidity import (
    InsufficientHistoryError,
    days_to_liquidate,
    forecast_volume,
    liquidity_haircut,
    market_regime,
    parkinson_volatility,
    prepare_bars,
)
from risk.margin.book import Book, market_values
from risk.stress.data import (
    bars_frames,
    haircut_parameters,
    latest_forecasts,
    liquidity_settings,
    regime_settings,
)
from risk.stress.enums import RegimeAction, RegimeLevel
from risk.stress.keys import REGIME_INDICATOR_SET
from risk.stress.models import LiquidityForecast, RegimeReading

logger = logging.getLogger(__name__)
# History a forecast is fitted on: the HAR model needs 500 training days plus its residuals.
FORECAST_HISTORY = timedelta(days=1500)
_ORDER = [RegimeLevel.NORMAL, RegimeLevel.STRESSED, RegimeLevel.CRISIS]


def _volatility(frame: pd.DataFrame, periods: float) -> Decimal | None:
    series = parkinson_volatility(prepare_bars(frame), window=20, periods_per_year=periods)
    last = float(series.iloc[-1]) if len(series) else float("nan")
    return Decimal(repr(round(last, 8))) if np.isfinite(last) else None


def liquidity_forecasts_refresh(*, on: date, instrument_ids: list[int] | None = None) -> int:
    """Forecast each instrument's ADV from bars up to ``on`` and store it; returns how many.

    The model and horizon are the ``liquidity-outputs`` values in force; an instrument with too
    little history for that model falls back to the 20-day mean (its row says which model).
    Rerunning for the same day replaces nothing: one row per instrument, day, horizon and model.
    """
    settings = liquidity_settings(on)
    ids = instrument_ids or list(
        DailyBar.objects.filter(date=on).values_list("instrument_id", flat=True)
    )
    frames = bars_frames(ids, on - FORECAST_HISTORY, on)
    horizon = int(settings["forecast_horizon_days"])
    coverage = float(settings["forecast_coverage"])
    stored = 0
    for pk, frame in frames.items():
        for model in dict.fromkeys([str(settings["forecast_model"]), "rolling"]):
            try:
                forecast = forecast_volume(
                    frame,
                    model=model,  # type: ignore[arg-type]
                    horizon_days=horizon,
                    coverage=coverage,
                    next_date=next_trading_day(on),
                )
            except InsufficientHistoryError:
                continue
            LiquidityForecast.objects.get_or_create(
                instrument_id=pk,
                as_of=forecast.as_of,
                horizon_days=horizon,
                model=model,
                defaults={
                    "target_date": forecast.target_date,
                    "adv": Decimal(round(forecast.adv)),
                    "lower": Decimal(int(forecast.lower)),
                    "upper": Decimal(int(np.ceil(forecast.upper))),
                    "coverage": Decimal(repr(coverage)),
                    "annual_volatility": _volatility(frame, float(settings["periods_per_year"])),
                },
            )
            stored += 1
            break
    return stored


@dataclass(frozen=True)
class LiquidityView:
    """Per position days to liquidate, and per account the liquidity-adjusted collateral."""

    days: np.ndarray  # (P,) trading days at the participation rate; inf = cannot be sold
    haircut: np.ndarray  # (P,) total liquidity haircut (NaN: no forecast)
    adjusted_collateral: np.ndarray  # (A,) cash + Σ value × (1 − haircut)
    market_value: np.ndarray  # (A,)


def liquidity_view(book: Book) -> LiquidityView:
    """Days to liquidate each position and each account's liquidity-adjusted collateral.

    The liquidity haircut (:func:`risk.liquidity.liquidity_haircut`) adds price risk over the
    days a position takes to sell and a per-day impact to the position's base haircut
    (``1 − collateral rate`` of its package). A position in an instrument with no stored forecast
    gets the largest haircut: the conservative reading.
    """
    settings = liquidity_settings(book.on)
    ids = [int(i) for i in book.instrument_ids.tolist()]
    forecasts = latest_forecasts(ids, book.on)
    adv = np.array([float(forecasts[i].adv) if i in forecasts else 0.0 for i in ids])
    vol = np.array(
        [float(forecasts[i].annual_volatility or 0) if i in forecasts else 0.0 for i in ids]
    )
    days = np.asarray(
        days_to_liquidate(
            book.pos_quantity, adv[book.pos_instrument], float(settings["participation_rate"])
        ),
        dtype=float,
    )
    base = np.clip(1.0 - book.pos_haircut, 0.0, 1.0)
    haircut = np.asarray(
        liquidity_haircut(base, days, vol[book.pos_instrument], haircut_parameters(settings)),
        dtype=float,
    )
    value = book.pos_quantity * book.prices[book.pos_instrument]
    kept = value * (1.0 - np.nan_to_num(haircut, nan=1.0))
    adjusted = book.cash + np.bincount(book.pos_account, weights=kept, minlength=book.size)
    return LiquidityView(days, haircut, adjusted, market_values(book))


def _reference_bars(code: str, on: date, window: int) -> pd.DataFrame:
    instrument = Instrument.objects.filter(code=code).order_by("pk").first()
    if instrument is None:
        return pd.DataFrame()
    frames = bars_frames([instrument.pk], on - timedelta(days=window * 2 + 60), on)
    return frames.get(instrument.pk, pd.DataFrame())


def _funding(key: str, on: date, window: int) -> pd.Series | None:
    if not key:
        return None
    try:
        points = funding_series_values([key], on - timedelta(days=window * 2 + 60), on)[key]
    except Exception:  # an unknown series key: the signal is simply absent
        logger.warning("funding series %s not found; regime without the funding signal", key)
        return None
    if not points:
        return None
    return pd.Series([float(v) for _, v in points], index=pd.DatetimeIndex([d for d, _ in points]))


def _auto_apply(regime: str, in_force: str, bounds: dict[str, Any], on: date) -> bool:
    """Tightening within the pre-approved bound only; loosening always waits for a person."""
    limit = str(bounds.get("auto_apply_up_to", "none"))
    if limit == "none":
        return False
    tightening = _ORDER.index(RegimeLevel(regime)) > _ORDER.index(RegimeLevel(in_force))
    return tightening and _ORDER.index(RegimeLevel(regime)) <= _ORDER.index(RegimeLevel(limit))


def _apply_within_bounds(regime: str, effective_from: date, reason: str) -> ParameterVersion:
    """Record the regime as approved under the bound the indicator set's version pre-approved.

    Its maker and checker are the two people who approved that bound; the note says so.
    """
    bound = params.version_in_force(REGIME_INDICATOR_SET, effective_from)
    current = dict(params.version_in_force(REGIME_SET, effective_from).values)
    version = ParameterVersion.objects.create(
        parameter_set=ParameterSet.objects.get(key=REGIME_SET),
        effective_from=effective_from,
        values={**current, "regime": regime},
        status=ParameterStatus.APPROVED,
        source=ParameterSource.CHANGE,
        reason=reason,
        maker=bound.maker,
        checker=bound.checker,
        decided_at=timezone.now(),
        decision_note=(
            f"applied automatically within the bound pre-approved in {REGIME_INDICATOR_SET} "
            f"version #{bound.pk} (auto_apply_up_to={bound.values.get('auto_apply_up_to')})"
        ),
    )
    audit.record(
        action=AuditAction.APPROVAL,
        actor=None,
        actor_repr="market regime indicator",
        obj=version,
        details={"regime": regime, "bound_version": bound.pk},
    )
    return version


@transaction.atomic
def market_regime_assess(*, on: date, maker: Any) -> RegimeReading:
    """Compute the regime on ``on`` and, if it differs from the one in force, act on it.

    A different regime is proposed to ``market-regime`` (``maker`` proposes; a risk officer must
    approve before the leverage cap changes), unless it tightens within the bound pre-approved in
    ``liquidity-regime`` (``auto_apply_up_to``), in which case it is recorded as approved and
    logged. One reading per day; a rerun returns the stored one.
    """
    existing = RegimeReading.objects.filter(as_of=on).first()
    if existing is not None:
        return existing
    indicator, bounds = regime_settings(on)
    bars = _reference_bars(str(bounds["reference_code"]), on, indicator.baseline_window)
    funding = _funding(str(bounds.get("funding_series") or ""), on, indicator.baseline_window)
    assessment = market_regime(prepare_bars(bars), indicator, funding=funding, as_of=on)
    regime = assessment.regime.label
    effective_from = max(on + timedelta(days=1), timezone.localdate() + timedelta(days=1))
    in_force = str(params.snapshot(REGIME_SET, effective_from)["regime"])
    reason = (
        f"regime indicator on {assessment.as_of}: {regime} "
        f"(drivers: {', '.join(assessment.drivers) or 'none'})"
    )
    proposal = None
    if regime == in_force:
        action = RegimeAction.UNCHANGED
    elif _auto_apply(regime, in_force, bounds, on):
        proposal = _apply_within_bounds(regime, effective_from, reason)
        action = RegimeAction.AUTO_APPLIED
    else:
        pending = ParameterVersion.objects.filter(
            parameter_set__key=REGIME_SET,
            status=ParameterStatus.PROPOSED,
            values__regime=regime,
        ).first()
        if pending is not None:
            proposal, action = pending, RegimeAction.ALREADY_PROPOSED
        else:
            proposal = market_regime_propose(
                regime=regime, effective_from=effective_from, maker=maker, reason=reason
            )
            action = RegimeAction.PROPOSED
    return RegimeReading.objects.create(
        as_of=on,
        reference=str(bounds["reference_code"]),
        regime=regime,
        in_force=in_force,
        scores={
            k: (None if not np.isfinite(v) else round(v, 6)) for k, v in assessment.scores.items()
        },
        drivers=assessment.drivers,
        action=action,
        proposal=proposal,
    )
