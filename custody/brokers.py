"""Broker adapters: where fills come from.

A real broker connection implements :class:`BrokerAdapter` (send the order, report executions);
the demo and the tests use :class:`SimulatorBroker`, which plays an accepted order against the
day's stored quotes (or, without quotes, the day's bar) with ``markets.execution``: limit
prices, the day's band, one-price limit-down days (sellers get nothing), a participation cap
(``custody-trading/simulator_participation`` unless given) and valid lot sizes.

:func:`order_execute` sends one order to an adapter and captures every execution it reports
through ``fill_capture`` (so each one posts to the ledger and moves the position).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from core.exceptions import InvalidInput
from custody import rules
from custody.models import Fill, Order, Position
from custody.services.fills import fill_capture
from custody.trading_selectors import sellable_on
from markets.enums import Side
from markets.execution import (
    Execution,
    SimBar,
    SimOrder,
    SimQuote,
    execute_on_bar,
    execute_on_quotes,
)
from markets.feeds import session_time
from markets.models import DailyBar, Quote
from markets.rules import market_day

CLOSE_MINUTE = 240


@dataclass(frozen=True)
class BrokerFill:
    exec_id: str
    quantity: int
    price: Decimal
    executed_at: datetime


@dataclass(frozen=True)
class BrokerReport:
    fills: tuple[BrokerFill, ...]
    reasons: tuple[str, ...] = ()  # why (part of) the order did not fill


class BrokerAdapter(Protocol):
    """Sends an accepted order to the market and reports its executions for ``day``."""

    name: str

    def execute(self, order: Order, *, day: date) -> BrokerReport: ...


class SimulatorBroker:
    name = "simulator"

    def __init__(self, *, participation: Decimal | None = None, use_quotes: bool = True) -> None:
        self.participation = participation
        self.use_quotes = use_quotes

    def _held(self, order: Order, day: date) -> int:
        if order.side != Side.SELL:
            return 0
        position = Position.objects.filter(
            margin_account_id=order.margin_account_id, instrument_id=order.instrument_id
        ).first()
        return sellable_on(position, day) if position is not None else 0

    def _run(self, order: Order, day: date, share: Decimal) -> Execution:
        sim = SimOrder(
            side=order.side,
            quantity=order.remaining,
            order_type=order.order_type,
            limit_price=order.limit_price,
            held=self._held(order, day),
        )
        market = market_day(order.instrument, day)
        quotes = list(Quote.objects.filter(instrument=order.instrument, day=day).order_by("ts"))
        if quotes and self.use_quotes:
            sim_quotes = [
                SimQuote(q.ts, q.last, q.bid, q.ask, q.volume, q.bid_size, q.ask_size)
                for q in quotes
            ]
            return execute_on_quotes(sim, sim_quotes, market, participation=share)
        bar = DailyBar.objects.filter(instrument=order.instrument, date=day).first()
        sim_bar = (
            SimBar(bar.date, bar.open, bar.high, bar.low, bar.close, bar.volume) if bar else None
        )
        return execute_on_bar(sim, sim_bar, market, participation=share)

    def execute(self, order: Order, *, day: date) -> BrokerReport:
        share = self.participation or rules.simulator_participation(day)
        try:
            result = self._run(order, day, share)
        except InvalidInput as refused:
            return BrokerReport((), (str(refused),))
        done = order.fills.count()
        fills = []
        for n, sim_fill in enumerate(result.fills, start=done + 1):
            at = sim_fill.at
            when = at if isinstance(at, datetime) else session_time(day, CLOSE_MINUTE)
            fills.append(BrokerFill(f"SIM-{order.pk}-{n}", sim_fill.quantity, sim_fill.price, when))
        return BrokerReport(tuple(fills), result.reasons)


def order_execute(
    *, order: Order, broker: BrokerAdapter, day: date, by: Any = None
) -> tuple[list[Fill], tuple[str, ...]]:
    """Send ``order`` to ``broker`` for ``day``; capture each execution reported."""
    report = broker.execute(order, day=day)
    captured = []
    for fill in report.fills:
        captured.append(
            fill_capture(
                order=order,
                exec_id=fill.exec_id,
                quantity=fill.quantity,
                price=fill.price,
                executed_at=fill.executed_at,
                by=by,
            )
        )
        order.refresh_from_db()
    return captured, report.reasons
