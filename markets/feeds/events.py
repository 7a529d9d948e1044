"""Price-feed events and the adapter interface every feed (live, vendor, replay) implements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class QuoteEvent:
    """An intraday snapshot; ``volume``/``amount`` are the day's running totals."""

    code: str
    at: datetime
    day: date
    last: Decimal
    bid: Decimal | None
    ask: Decimal | None
    bid_size: Decimal | None = None
    ask_size: Decimal | None = None
    volume: Decimal = Decimal(0)
    amount: Decimal | None = None


@dataclass(frozen=True)
class BarEvent:
    """A finished daily bar (sent at the close)."""

    code: str
    at: datetime
    day: date
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    amount: Decimal | None = None


PriceEvent = QuoteEvent | BarEvent


class PriceFeed(Protocol):
    """A source of price events. ``stream`` yields events in time order for trading days in
    ``[start, end]``; events that share a timestamp are consecutive."""

    source: str

    def stream(self, start: date, end: date) -> Iterator[PriceEvent]: ...
