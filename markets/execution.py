"""Execution simulator for the demo and for back-tests: pure, no database.

Given an order and one day's bar (or that day's quotes) with the day's rules (``MarketDay``), it
returns the fills an order would plausibly have got:

* a limit buy fills only at or below its limit, a limit sell at or above; a market order takes
  the open (bar) or the best opposite quote;
* nothing fills outside the day's limit band;
* on a one-price limit-down day (open = high = low = close = limit-down) sellers get nothing —
  the whole day's volume went to the few buyers at the front of the queue — while buyers fill;
  symmetrically on a one-price limit-up day buyers get nothing;
* at most ``participation`` of the day's (or the quote interval's) volume is taken;
* fills come in valid order sizes (whole lots; STAR 200 then steps of 1), except the last piece
  that completes an order. The exchange itself may split fills finer; the simulator does not.

Invalid orders (off the tick, outside the band, wrong lot, halted instrument) are refused with
every reason, as the pre-trade check would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from core.exceptions import InvalidInput
from core.money import to_decimal
from markets.enums import OrderType, Side
from markets.rules.pure import (
    MarketDay,
    floor_shares,
    lot_problems,
    price_problems,
    show_price,
)


@dataclass(frozen=True)
class SimOrder:
    side: str
    quantity: int
    order_type: str = OrderType.LIMIT
    limit_price: Decimal | None = None
    held: int = 0  # sells: shares held (an odd lot may only be sold whole)


@dataclass(frozen=True)
class SimBar:
    day: date
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal

    @property
    def one_price(self) -> bool:
        return self.open == self.high == self.low == self.close


@dataclass(frozen=True)
class SimQuote:
    at: datetime
    last: Decimal
    bid: Decimal | None
    ask: Decimal | None
    volume: Decimal  # the day's running total
    bid_size: Decimal | None = None
    ask_size: Decimal | None = None


@dataclass(frozen=True)
class SimFill:
    quantity: int
    price: Decimal
    at: datetime | date


@dataclass(frozen=True)
class Execution:
    fills: tuple[SimFill, ...]
    unfilled: int
    reasons: tuple[str, ...] = ()  # why the order (or part of it) did not fill

    @property
    def filled(self) -> int:
        return sum(f.quantity for f in self.fills)

    @property
    def value(self) -> Decimal:
        return sum((f.price * f.quantity for f in self.fills), Decimal(0))

    @property
    def average_price(self) -> Decimal | None:
        return self.value / self.filled if self.filled else None


def check_order(order: SimOrder, market: MarketDay) -> None:
    """Refuse an order the exchange would not accept on ``market.day``, with every reason."""
    problems = []
    if order.side not in Side.values:
        problems.append(f"side {order.side!r} must be buy or sell")
    problems += lot_problems(market.lots, order.side, order.quantity, order.held)
    if order.order_type == OrderType.LIMIT:
        if order.limit_price is None:
            problems.append("a limit order needs a limit price")
        else:
            problems += price_problems(market, order.limit_price)
    elif order.order_type == OrderType.MARKET:
        problems += [market.halt] if market.halt else []
    else:
        problems.append(f"order type {order.order_type!r} must be limit or market")
    if problems:
        raise InvalidInput("; ".join(problems), field="order")


def _participation(value: Decimal) -> Decimal:
    value = to_decimal(value)
    if not 0 < value <= 1:
        raise InvalidInput(
            f"participation {value} must be above 0 and at most 1", field="participation"
        )
    return value


def _locked_out(order: SimOrder, bar: SimBar, market: MarketDay) -> str | None:
    if not bar.one_price:
        return None
    day = market.day.isoformat()
    if order.side == Side.SELL and market.limit_down is not None and bar.close <= market.limit_down:
        return (
            f"{market.code} traded at one price, the limit-down {show_price(market.limit_down)}, "
            f"all day on "
            f"{day}: sellers queued and got no fill"
        )
    if order.side == Side.BUY and market.limit_up is not None and bar.close >= market.limit_up:
        return (
            f"{market.code} traded at one price, the limit-up {show_price(market.limit_up)}, "
            f"all day on "
            f"{day}: buyers queued and got no fill"
        )
    return None


def _bar_price(order: SimOrder, bar: SimBar) -> Decimal | None:
    if order.order_type == OrderType.MARKET or order.limit_price is None:
        return bar.open
    limit = to_decimal(order.limit_price)
    if order.side == Side.BUY:
        return (bar.open if bar.open <= limit else limit) if bar.low <= limit else None
    return (bar.open if bar.open >= limit else limit) if bar.high >= limit else None


def _in_band(price: Decimal, market: MarketDay) -> bool:
    low_ok = market.limit_down is None or price >= market.limit_down
    return low_ok and (market.limit_up is None or price <= market.limit_up)


def _size(order: SimOrder, market: MarketDay, room: int, remaining: int) -> int:
    take = min(remaining, room)
    return take if take == remaining else market.lots.round_down(take)


def execute_on_bar(
    order: SimOrder, bar: SimBar | None, market: MarketDay, *, participation: Decimal
) -> Execution:
    """Fills for ``order`` against the day's bar (one fill at most)."""
    check_order(order, market)
    share = _participation(participation)
    if bar is None:
        return Execution((), order.quantity, (f"no trading in {market.code} on {market.day}",))
    if bar.day != market.day:
        raise InvalidInput(f"the bar is for {bar.day}, the rules for {market.day}", field="bar")
    locked = _locked_out(order, bar, market)
    if locked:
        return Execution((), order.quantity, (locked,))
    price = _bar_price(order, bar)
    if price is None:
        extreme = (
            f"low {show_price(bar.low)}"
            if order.side == Side.BUY
            else f"high {show_price(bar.high)}"
        )
        why = f"the limit {order.limit_price} was not reached ({extreme})"
        return Execution((), order.quantity, (why,))
    if not _in_band(price, market):
        why = (
            f"{show_price(price)} lies outside the day's band {market.limit_down}-{market.limit_up}"
        )
        return Execution((), order.quantity, (why,))
    cap = floor_shares(bar.volume * share)
    take = _size(order, market, cap, order.quantity)
    reasons: tuple[str, ...] = ()
    if take < order.quantity:
        reasons = (f"participation cap: {cap} shares ({share} of the day's {bar.volume})",)
    fills = (SimFill(take, price, bar.day),) if take > 0 else ()
    return Execution(fills, order.quantity - take, reasons)


def _quote_price(order: SimOrder, quote: SimQuote) -> tuple[Decimal | None, Decimal | None]:
    """(price, size) available to the order at this quote, or (None, None)."""
    if order.side == Side.BUY:
        price, size = quote.ask, quote.ask_size
        ok = price is not None and (order.limit_price is None or price <= order.limit_price)
    else:
        price, size = quote.bid, quote.bid_size
        ok = price is not None and (order.limit_price is None or price >= order.limit_price)
    return (price, size) if ok else (None, None)


def execute_on_quotes(
    order: SimOrder, quotes: Sequence[SimQuote], market: MarketDay, *, participation: Decimal
) -> Execution:
    """Fills for ``order`` walking the day's quotes in time order (several fills possible).

    At each quote the order may take the opposite best price if it is within its limit and the
    band, up to ``participation`` of the day's running volume (less what it already took) and the
    quoted size. A side with no quote (no bid at a limit-down) gives sellers nothing.
    """
    check_order(order, market)
    share = _participation(participation)
    fills: list[SimFill] = []
    filled = 0
    no_counterparty = 0
    for quote in sorted(quotes, key=lambda q: q.at):
        remaining = order.quantity - filled
        if remaining == 0:
            break
        if (quote.bid if order.side == Side.SELL else quote.ask) is None:
            no_counterparty += 1
            continue
        price, size = _quote_price(order, quote)
        if price is None or not _in_band(price, market):
            continue
        room = floor_shares(quote.volume * share) - filled
        if size is not None:
            room = min(room, floor_shares(size))
        take = _size(order, market, max(room, 0), remaining)
        if take > 0:
            fills.append(SimFill(take, price, quote.at))
            filled += take
    return Execution(
        tuple(fills),
        order.quantity - filled,
        _quote_reasons(order, filled, no_counterparty, len(quotes)),
    )


def _quote_reasons(
    order: SimOrder, filled: int, no_counterparty: int, count: int
) -> tuple[str, ...]:
    if filled == order.quantity:
        return ()
    if count == 0:
        return ("no quotes",)
    if no_counterparty == count:
        side = "bid" if order.side == Side.SELL else "offer"
        return (f"no {side} at any quote: the other side was queued at the limit",)
    return ("limit not reached or participation cap hit for the rest",)
