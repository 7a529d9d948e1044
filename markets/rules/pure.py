"""The exchange rules as pure functions over plain values (no database).

Amounts are rounded in ``core.money``; prices here are rounded the way the exchanges round them:
to the instrument's tick, half up (a limit price of 19.791 becomes 19.79, 21.987 becomes 21.99).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from core.money import to_decimal
from markets.enums import Side


def round_to_tick(price: Decimal, tick: Decimal) -> Decimal:
    """Round a price to the nearest tick, half up (exchange rule for limit prices)."""
    steps = (to_decimal(price) / tick).to_integral_value(rounding=ROUND_HALF_UP)
    return (steps * tick).quantize(tick)


def is_on_tick(price: Decimal, tick: Decimal) -> bool:
    return to_decimal(price) % tick == 0


def show_price(price: Decimal) -> str:
    """A price as people write it: 19.1000 → "19.10", 3.5120 → "3.512"."""
    text = f"{to_decimal(price).normalize():f}"
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def percent(rate: Decimal) -> str:
    """0.10 → "10%" for messages."""
    return f"{(rate * 100).normalize():f}%"


@dataclass(frozen=True)
class PriceBand:
    """The daily price-limit band: ``rate`` of the previous close, or None (no limit)."""

    rate: Decimal | None
    reason: str

    def __str__(self) -> str:
        return f"±{percent(self.rate)}" if self.rate is not None else "no limit"


@dataclass(frozen=True)
class LotRule:
    """Order sizes: at least ``buy_min`` shares, then steps of ``buy_step``.

    Main board and ChiNext: 100 then 100 (whole lots). STAR: 200 then 1. BSE: 100 then 1.
    A balance below ``buy_min`` (an odd lot) may only be sold whole, in one order.
    """

    buy_min: int
    buy_step: int

    def is_valid_size(self, quantity: int) -> bool:
        return quantity >= self.buy_min and (quantity - self.buy_min) % self.buy_step == 0

    def round_down(self, quantity: int) -> int:
        """The largest valid order size not above ``quantity`` (0 if below the minimum)."""
        if quantity < self.buy_min:
            return 0
        return self.buy_min + (quantity - self.buy_min) // self.buy_step * self.buy_step

    def describe(self) -> str:
        if self.buy_step == self.buy_min:
            return f"a multiple of {self.buy_min} shares"
        return f"at least {self.buy_min} shares (then steps of {self.buy_step})"


def limit_prices_from(prev_close: Decimal, rate: Decimal, tick: Decimal) -> tuple[Decimal, Decimal]:
    """(limit-up, limit-down) for a band ``rate`` around ``prev_close``, on the tick."""
    prev_close = to_decimal(prev_close)
    up = round_to_tick(prev_close * (1 + rate), tick)
    down = max(round_to_tick(prev_close * (1 - rate), tick), tick)
    return up, down


@dataclass(frozen=True)
class MarketDay:
    """What the rules say about one instrument on one day; the input of every pure check."""

    code: str
    day: date
    tick: Decimal
    lots: LotRule
    band: PriceBand
    prev_close: Decimal | None
    limit_up: Decimal | None
    limit_down: Decimal | None
    halt: str | None = None  # why the instrument cannot trade that day, or None

    @property
    def is_limited(self) -> bool:
        return self.limit_up is not None and self.limit_down is not None


def price_problems(market: MarketDay, price: Decimal) -> list[str]:
    """Every reason a limit price is unacceptable on ``market.day`` (empty when it is fine)."""
    price = to_decimal(price)
    problems: list[str] = []
    if market.halt:
        problems.append(market.halt)
    if price <= 0:
        return [*problems, f"price {price} must be positive"]
    if not is_on_tick(price, market.tick):
        problems.append(f"price {price} is off the {market.tick} tick")
    day = market.day.isoformat()
    if market.limit_down is not None and price < market.limit_down:
        problems.append(f"{price} is below the limit-down price {market.limit_down} for {day}")
    if market.limit_up is not None and price > market.limit_up:
        problems.append(f"{price} is above the limit-up price {market.limit_up} for {day}")
    return problems


def lot_problems(lots: LotRule, side: str, quantity: int, held: int) -> list[str]:
    """Every reason an order size is unacceptable (empty when it is fine).

    A sell is valid when it is itself a valid order size, or sells everything held, or (whole
    lots of 100) carries the whole odd lot along with round lots — e.g. 250 held: 100, 200, 250
    or 50 may be sold, 120 may not.
    """
    if quantity <= 0:
        return [f"quantity {quantity} must be a positive whole number of shares"]
    if side == Side.BUY:
        if lots.is_valid_size(quantity):
            return []
        if quantity < lots.buy_min:
            return [f"buy quantity {quantity} is below the {lots.buy_min}-share minimum"]
        return [f"buy quantity {quantity} must be {lots.describe()}"]
    if quantity > held:
        return [f"sell quantity {quantity} exceeds the {held} shares held"]
    if quantity == held or lots.is_valid_size(quantity):
        return []
    if lots.buy_step == lots.buy_min and quantity % lots.buy_min == held % lots.buy_min:
        return []  # round lots plus the whole odd lot
    odd = held % lots.buy_min if lots.buy_step == lots.buy_min else held
    return [
        f"sell quantity {quantity} must be {lots.describe()}, or all {held} held"
        + (f" (the odd lot of {odd} may only be sold whole)" if odd and odd < lots.buy_min else "")
    ]


def floor_shares(value: Decimal) -> int:
    return int(to_decimal(value).to_integral_value(rounding=ROUND_FLOOR))
