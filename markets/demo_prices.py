"""Synthetic daily bars for the demo, driven by the real daily moves of a source stock.

Each synthetic day takes one real day's moves (open, high, low and close relative to the
previous close, and volume relative to the source's average), scales them by a beta, and keeps
every price on the instrument's tick and inside its own limit band for that day. The same
inputs always give the same bars. Nothing here is market history: rows are stored with
``source = synthetic``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.money import quantize_money
from markets.barfile import ParsedBar
from markets.models import Instrument
from markets.rules.book import RuleBook
from markets.rules.days import price_band
from markets.rules.pure import limit_prices_from, round_to_tick

DAILY_TURNOVER = Decimal("0.01")  # a share of free float traded on an average day


@dataclass(frozen=True)
class Move:
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal  # the day's volume over the source's average volume


def source_moves(bars: list[ParsedBar]) -> list[Move]:
    """Day-on-day moves of a real series (consecutive rows, suspensions bridged), with the
    series' own trend taken out so that a synthetic stock does not inherit one company's decline:
    every ratio is divided by the geometric mean daily close ratio."""
    pairs = list(zip(bars, bars[1:], strict=False))
    average = sum((b.volume for b in bars), Decimal(0)) / len(bars)
    drift = (bars[-1].close / bars[0].close) ** (Decimal(1) / len(pairs))
    return [
        Move(
            b.open / a.close / drift,
            b.high / a.close / drift,
            b.low / a.close / drift,
            b.close / a.close / drift,
            b.volume / average,
        )
        for a, b in pairs
    ]


def start_offset(code: str, moves: list[Move]) -> int:
    return int(code) * 7919 % len(moves)


@dataclass
class SyntheticSeries:
    instrument: Instrument
    moves: list[Move]
    offset: int
    beta: Decimal
    free_float: int
    book: RuleBook

    def _price(
        self, prev: Decimal, ratio: Decimal, tick: Decimal, band: tuple[Decimal, Decimal] | None
    ) -> Decimal:
        price = max(round_to_tick(prev * (1 + self.beta * (ratio - 1)), tick), tick)
        if band is not None:
            up, down = band
            price = min(max(price, down), up)
        return price

    def bar(self, day: date, index: int, prev: Decimal) -> ParsedBar:
        """The bar of ``day``, the ``index``-th day of the series, after a close of ``prev``."""
        move = self.moves[(self.offset + index) % len(self.moves)]
        tick = self.book.tick(self.instrument, day)
        rate = self._band_rate(day)
        band = limit_prices_from(prev, rate, tick) if rate is not None else None
        o, h, low, c = (
            self._price(prev, r, tick, band) for r in (move.open, move.high, move.low, move.close)
        )
        h, low = max(h, o, c), min(low, o, c)
        lots = (Decimal(self.free_float) * DAILY_TURNOVER * move.volume / 100).to_integral_value()
        volume = max(lots, Decimal(1)) * 100
        amount = quantize_money(volume * (o + h + low + c) / 4)
        return ParsedBar(day, o, h, low, c, volume, amount)

    def _band_rate(self, day: date) -> Decimal | None:
        return price_band(self.instrument, day, book=self.book).rate

    def bars(self, days: list[date], start_close: Decimal, first_index: int = 0) -> list[ParsedBar]:
        out: list[ParsedBar] = []
        prev = start_close
        for k, day in enumerate(days):
            bar = self.bar(day, first_index + k, prev)
            out.append(bar)
            prev = bar.close
        return out
