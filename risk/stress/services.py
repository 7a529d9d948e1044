"""Writes: scenarios, stress runs and their results."""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction

from core.exceptions import InvalidInput
from core.money import quantize_money, quantize_rate
from markets.models import Instrument
from risk.margin.book import Book, load_book
from risk.stress.data import bars_frames, liquidity_settings, lot_sizes_for, universe_for
from risk.stress.engine import ShockPath, StressResult, run_stress, worst_accounts
from risk.stress.enums import RunStatus, ScenarioKind
from risk.stress.models import StressRun, StressRunAccount, StressRunDay, StressScenario
from risk.stress.scenarios import (
    HistoricalParams,
    Universe,
    historical_path,
    hypothetical_path,
    validate_params,
)

TOP_ACCOUNTS = 20
# Bars loaded before a replay's start: the last close and a month of usual volume, even for a
# stock that was suspended for months before the window (000002: Dec 2015 to Jul 2016).
_REPLAY_LOOKBACK = timedelta(days=400)
_RATIO_CAP = 9999.0


def _money(value: float) -> Decimal:
    return quantize_money(Decimal(repr(float(value))))


def _ratio(value: float) -> Decimal | None:
    if not np.isfinite(value):
        return None
    return quantize_rate(Decimal(repr(float(min(value, _RATIO_CAP)))))


@transaction.atomic
def stress_scenario_save(
    *,
    code: str,
    name: str,
    kind: str,
    params: Any,
    actor: Any,
    description: str = "",
    active: bool = True,
) -> StressScenario:
    """Create or update a scenario; parameters are validated for the kind before anything saves."""
    if not name.strip():
        raise InvalidInput("name: a scenario needs a name", field="name")
    validate_params(kind, params)
    scenario, created = StressScenario.objects.update_or_create(
        code=code,
        defaults={
            "name": name.strip(),
            "kind": kind,
            "params": params,
            "description": description.strip(),
            "active": active,
        },
    )
    if created:
        scenario.created_by = actor
        scenario.save(update_fields=["created_by"])
    return scenario


def _historical_series(params: HistoricalParams, universe: Universe, book: Book) -> dict[str, Any]:
    codes = set(universe.codes) | ({params.proxy_code} if params.proxy_code else set())
    ids = dict(Instrument.objects.filter(code__in=codes).values_list("pk", "code"))
    frames = bars_frames(list(ids), params.start - _REPLAY_LOOKBACK, params.end)
    return {ids[pk]: frame for pk, frame in frames.items()}


def scenario_path(scenario: StressScenario, book: Book, universe: Universe) -> ShockPath:
    """The scenario's (days × instruments) price factors and sellable capacities for ``book``."""
    typed = validate_params(scenario.kind, scenario.params)
    participation = float(liquidity_settings(book.on)["participation_rate"])
    if isinstance(typed, HistoricalParams):
        series = _historical_series(typed, universe, book)
        return historical_path(typed, universe, series, participation)
    return hypothetical_path(typed, universe, participation)


def _persist(run: StressRun, result: StressResult, book: Book, *, top: int) -> None:
    StressRunDay.objects.bulk_create(
        StressRunDay(
            run=run,
            index=day.index,
            date=day.date,
            warning_accounts=day.warning_accounts,
            liquidation_accounts=day.liquidation_accounts,
            sold_value=_money(day.sold_value),
            unsold_value=_money(day.unsold_value),
            debt=_money(day.debt),
            collateral=_money(day.collateral),
            shortfall=_money(day.shortfall),
            blocked=day.blocked,
        )
        for day in result.days
    )
    rows = []
    for rank, index in enumerate(worst_accounts(result, top).tolist(), start=1):
        if result.shortfall[index] <= 0 and result.first_liquidation_day[index] < 0:
            break
        rows.append(
            StressRunAccount(
                run=run,
                rank=rank,
                margin_account_id=int(book.account_ids[index]),
                start_ratio=_ratio(result.start_ratio[index]),
                worst_ratio=_ratio(result.worst_ratio[index]),
                first_liquidation_day=(
                    int(result.first_liquidation_day[index])
                    if result.first_liquidation_day[index] >= 0
                    else None
                ),
                debt_end=_money(result.debt_end[index]),
                collateral_end=_money(result.collateral_end[index]),
                unsold_value=_money(result.unsold_value[index]),
                shortfall=_money(result.shortfall[index]),
            )
        )
    StressRunAccount.objects.bulk_create(rows)


def stress_test_run(
    *,
    scenario: StressScenario,
    on: date,
    actor: Any,
    book: Book | None = None,
    top: int = TOP_ACCOUNTS,
) -> StressRun:
    """Run ``scenario`` over the whole book as of ``on`` and store the result.

    The book is the margin engine's (:func:`risk.margin.book.load_book`) unless one is passed;
    sales are in the lots each instrument's board allows (``ashare-trading``).
    A scenario whose parameters no longer validate, or a replay with no bars, is refused with
    :class:`InvalidInput` and nothing is stored.
    """
    started = time.perf_counter()
    loaded = book if book is not None else load_book(on)
    universe = universe_for(loaded)
    path = scenario_path(scenario, loaded, universe)
    settings = liquidity_settings(on)
    result = run_stress(
        loaded,
        path,
        cost_rate=float(settings["liquidation_cost_rate"]),
        lots=lot_sizes_for(loaded),
    )
    elapsed = int((time.perf_counter() - started) * 1000)
    return _record(scenario, loaded, path, result, settings, actor, elapsed, top)


@transaction.atomic
def _record(
    scenario: StressScenario,
    book: Book,
    path: ShockPath,
    result: StressResult,
    settings: dict[str, Any],
    actor: Any,
    elapsed: int,
    top: int,
) -> StressRun:
    breached = result.first_liquidation_day >= 0
    run = StressRun.objects.create(
        scenario=scenario,
        book_date=book.on,
        status=RunStatus.DONE,
        params_used={
            "kind": scenario.kind,
            "params": scenario.params,
            "participation_rate": settings["participation_rate"],
            "liquidation_cost_rate": settings["liquidation_cost_rate"],
            "dates": [d.isoformat() if d else None for d in path.dates],
            "instruments_without_volume": int(np.isinf(path.capacity[0]).sum()),
        },
        accounts=len(book.account_ids),
        positions=len(book.pos_quantity),
        days=len(path.dates),
        warning_accounts=int(result.ever_warning.sum()),
        liquidation_accounts=int(breached.sum()),
        shortfall_accounts=int((result.shortfall > 0.005).sum()),
        total_debt=_money(float(book.debt.sum())),
        sold_value=_money(sum(d.sold_value for d in result.days)),
        unsold_value=_money(float(result.unsold_value.sum())),
        total_shortfall=_money(result.total_shortfall),
        duration_ms=elapsed,
        run_by=actor,
    )
    _persist(run, result, book, top=top)
    return run


def result_summary(result: StressResult) -> dict[str, Any]:
    """Totals of a result, for commands and benchmarks that do not persist it."""
    return {
        "days": [asdict(d) for d in result.days],
        "liquidation_accounts": int((result.first_liquidation_day >= 0).sum()),
        "shortfall": result.total_shortfall,
    }


__all__ = [
    "ScenarioKind",
    "scenario_path",
    "stress_scenario_save",
    "stress_test_run",
]
