"""Reads for trading: holdings at the latest prices, T+1 sellable quantities, open orders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from custody.enums import OPEN_ORDER_STATUSES
from custody.models import MarginAccount, Order, Position
from markets.enums import Side
from markets.models import Instrument
from markets.selectors import latest_prices


def sellable_on(position: Position, day: date) -> int:
    """Shares that may be sold on ``day`` (T+1), whether or not the nightly roll has run.

    Pending shares bought on an earlier day are sellable; those bought on ``day`` are not.
    """
    pending = int(position.pending_quantity)
    if pending and position.pending_since is not None and position.pending_since < day:
        return int(position.sellable_quantity) + pending
    return int(position.sellable_quantity)


def positions_of(margin_account: MarginAccount) -> QuerySet[Position]:
    return Position.objects.filter(margin_account=margin_account).select_related("instrument")


def open_orders(margin_account: MarginAccount) -> QuerySet[Order]:
    return Order.objects.filter(
        margin_account=margin_account, status__in=OPEN_ORDER_STATUSES
    ).select_related("instrument")


@dataclass(frozen=True)
class OpenExposure:
    """What the account's open orders hold back until they fill or end."""

    buy_quantity: dict[int, int]  # instrument id → shares still to buy
    buy_value: dict[int, Decimal]  # instrument id → Σ remaining × reference price
    sell_quantity: dict[int, int]  # instrument id → shares still to sell


def open_exposure(
    margin_account: MarginAccount, *, exclude_order_id: int | None = None
) -> OpenExposure:
    buys: dict[int, int] = defaultdict(int)
    sells: dict[int, int] = defaultdict(int)
    values: dict[int, Decimal] = defaultdict(Decimal)
    for order in open_orders(margin_account).exclude(pk=exclude_order_id or 0):
        if order.side == Side.BUY:
            buys[order.instrument_id] += order.remaining
            price = order.reference_price or order.limit_price or Decimal(0)
            values[order.instrument_id] += order.remaining * price
        else:
            sells[order.instrument_id] += order.remaining
    return OpenExposure(dict(buys), dict(values), dict(sells))


def holdings_at_latest(
    margin_account: MarginAccount,
) -> list[tuple[Instrument, Decimal, Decimal]]:
    """``(instrument, quantity, latest price)`` per held position (one price query)."""
    rows = [p for p in positions_of(margin_account) if p.quantity > 0]
    prices = latest_prices([p.instrument_id for p in rows])
    return [
        (p.instrument, p.quantity, prices[p.instrument_id].price)
        for p in rows
        if p.instrument_id in prices
    ]
