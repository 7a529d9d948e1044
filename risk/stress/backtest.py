"""Event-driven backtest of a leverage package over real history.

One synthetic account per instrument: own equity ``E`` plus financing ``E × max financing
ratio`` (the package's, as in force on the start day), all invested at the close before
``start``; the package's warning, liquidation and top-up lines apply. The real bars are then
played day by day through the stress kernel: a close below the warning line is a margin call, a
close below the liquidation line starts forced selling (capped by the day's volume, nothing on
one-price limit-down days or while suspended), and what the debt exceeds at the end is the
firm's loss.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from core.exceptions import InvalidInput
from core.money import quantize_money, quantize_rate
from credit.rules import effective_max_financing_ratio, package_terms
from markets.models import Instrument
from risk.margin.book import Book
from risk.stress.data import bars_frames, liquidity_settings
from risk.stress.engine import run_stress
from risk.stress.models import LeverageBacktest
from risk.stress.scenarios import HistoricalParams, Universe, historical_path

_LOOKBACK = timedelta(days=400)


def _book(on: date, prices: np.ndarray, equity: float, ratio: float, lines: list[float]) -> Book:
    n = len(prices)
    invested = equity * (1.0 + ratio)
    quantity = np.floor(invested / prices / 100.0) * 100.0
    cash = invested - quantity * prices
    return Book(
        on=on,
        account_ids=np.arange(1, n + 1, dtype=np.int64),
        cash=cash,
        debt=np.full(n, equity * ratio),
        warning_line=np.full(n, lines[0]),
        liquidation_line=np.full(n, lines[1]),
        topup_target=np.full(n, lines[2]),
        instrument_ids=np.arange(1, n + 1, dtype=np.int64),
        prices=prices.astype(float),
        pos_account=np.arange(n, dtype=np.int32),
        pos_instrument=np.arange(n, dtype=np.int32),
        pos_quantity=quantity,
        pos_sellable=quantity.copy(),
        pos_haircut=np.zeros(n),
    )


@transaction.atomic
def leverage_backtest_run(
    *,
    package: str,
    codes: list[str],
    start: date,
    end: date,
    equity: Decimal,
    actor: Any,
    terms_on: date | None = None,
) -> LeverageBacktest:
    """Replay ``package`` on ``codes`` from ``start`` to ``end`` and store calls, liquidations
    and the loss.

    The package's terms are those in force on ``terms_on`` (default today): the question is how
    today's policy would have fared in that history.
    """
    if equity <= 0:
        raise InvalidInput("equity: must be positive", field="equity")
    policy_on = terms_on or timezone.localdate()
    terms = package_terms(package, policy_on)
    ratio = float(effective_max_financing_ratio(package, policy_on))
    found = {i.code: i for i in Instrument.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(f"codes: unknown instruments {', '.join(missing)}", field="codes")
    frames = bars_frames([found[c].pk for c in codes], start - _LOOKBACK, end)
    series = {c: frames[found[c].pk] for c in codes if found[c].pk in frames}
    before = [series[c].loc[series[c].index < np.datetime64(start)] for c in codes if c in series]
    if len(before) != len(codes) or any(b.empty for b in before):
        raise InvalidInput("codes: every instrument needs a close before start", field="start")
    prices = np.array([float(b["close"].iloc[-1]) for b in before])
    lines = [float(terms.warning_line), float(terms.liquidation_line), float(terms.topup_target)]
    book = _book(start, prices, float(equity), ratio, lines)
    settings = liquidity_settings(start)
    universe = Universe(
        codes=list(codes), boards=["main"] * len(codes), adv=np.full(len(codes), np.inf)
    )
    path = historical_path(
        HistoricalParams(start=start, end=end),
        universe,
        series,
        float(settings["participation_rate"]),
    )
    result = run_stress(book, path, cost_rate=float(settings["liquidation_cost_rate"]))
    marks = book.prices[None, :] * path.price_factor
    events: list[dict[str, Any]] = []
    curve: dict[str, list[float | None]] = {}
    calls = 0
    for column, code in enumerate(codes):
        held = book.pos_quantity[column] - np.cumsum(result.sold_quantity[:, column])
        warned = False
        curve[code] = []
        for d, day in enumerate(path.dates):
            value = float(held[d] * marks[d, column] + book.cash[column])
            debt = float(book.debt[column])
            ratio_d = value / debt if debt > 0 else None
            curve[code].append(round(ratio_d, 4) if ratio_d is not None else None)
            if ratio_d is not None and ratio_d < lines[0] and not warned:
                calls += 1
                warned = True
                events.append({"date": str(day), "code": code, "event": "margin call"})
            if result.first_liquidation_day[column] == d:
                events.append({"date": str(day), "code": code, "event": "liquidation"})
    return LeverageBacktest.objects.create(
        package=package,
        codes=list(codes),
        start=start,
        end=end,
        equity=quantize_money(equity),
        financing_ratio=quantize_rate(Decimal(repr(ratio))),
        terms={
            "terms_on": str(policy_on),
            "lines": lines,
            "max_financing_ratio": ratio,
            "dates": [str(d) for d in path.dates],
        },
        calls=calls,
        liquidations=int((result.first_liquidation_day >= 0).sum()),
        loss=quantize_money(Decimal(repr(result.total_shortfall))),
        events=events,
        curve=curve,
        run_by=actor,
    )
