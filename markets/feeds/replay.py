"""Replay real daily bars as a price feed, with a deterministic synthetic intraday path.

Each day of a bar file becomes quotes every ``interval`` trading minutes along open → low → high
→ close (a day that closed up) or open → high → low → close (a day that closed down), then the
day's bar at 15:00. The path stays inside the day's real range and ends on the real close, so a
replay reproduces the real closes exactly; only the intraday order of the extremes is invented.

A one-price day (open = high = low = close) below the previous close is quoted with an ask at
that price and no bid — sellers queued at limit-down with nobody buying above — and one above it
with a bid and no ask.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from core.exceptions import InvalidInput
from core.money import quantize_money
from markets.barfile import ParsedBar, parse_bars
from markets.enums import PriceSource
from markets.feeds.events import BarEvent, PriceEvent, QuoteEvent
from markets.rules.pure import round_to_tick

EXCHANGE_TZ = ZoneInfo("Asia/Shanghai")
SESSION_MINUTES = 240  # 09:30-11:30 and 13:00-15:00
MORNING_MINUTES = 120
DEFAULT_TICK = Decimal("0.01")


def session_time(day: date, minute: int) -> datetime:
    """Clock time of trading minute ``minute`` (0 = 09:30, 120 = 11:30, 240 = 15:00)."""
    if minute <= MORNING_MINUTES:
        clock = datetime.combine(day, time(9, 30)) + timedelta(minutes=minute)
    else:
        clock = datetime.combine(day, time(13, 0)) + timedelta(minutes=minute - MORNING_MINUTES)
    return clock.replace(tzinfo=EXCHANGE_TZ)


def _knots(bar: ParsedBar) -> list[tuple[int, Decimal]]:
    first, second = (bar.low, bar.high) if bar.close >= bar.open else (bar.high, bar.low)
    return [(0, bar.open), (60, first), (180, second), (SESSION_MINUTES, bar.close)]


def _price_at(knots: list[tuple[int, Decimal]], minute: int, tick: Decimal) -> Decimal:
    for (m0, p0), (m1, p1) in zip(knots, knots[1:], strict=False):
        if m0 <= minute <= m1:
            return round_to_tick(p0 + (p1 - p0) * Decimal(minute - m0) / Decimal(m1 - m0), tick)
    return knots[-1][1]


def _book(
    bar: ParsedBar, last: Decimal, prev_close: Decimal | None, tick: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    if bar.open == bar.high == bar.low == bar.close and prev_close is not None:
        if bar.close < prev_close:
            return None, last
        if bar.close > prev_close:
            return last, None
    bid = last - tick if last - tick > 0 else None
    return bid, last + tick


def intraday_path(
    code: str,
    bar: ParsedBar,
    prev_close: Decimal | None,
    *,
    interval: int = 30,
    tick: Decimal = DEFAULT_TICK,
) -> list[QuoteEvent]:
    """The day's quotes, every ``interval`` trading minutes from the open to the close."""
    if not 1 <= interval <= SESSION_MINUTES:
        raise InvalidInput(f"interval {interval} must be 1-240 minutes", field="interval")
    minutes = list(range(0, SESSION_MINUTES, interval)) + [SESSION_MINUTES]
    knots = _knots(bar)
    quotes: list[QuoteEvent] = []
    for minute in minutes:
        share = Decimal(minute + interval) / Decimal(SESSION_MINUTES + interval)
        if minute == SESSION_MINUTES:
            share = Decimal(1)
        last = _price_at(knots, minute, tick)
        bid, ask = _book(bar, last, prev_close, tick)
        quotes.append(
            QuoteEvent(
                code=code,
                at=session_time(bar.day, minute),
                day=bar.day,
                last=last,
                bid=bid,
                ask=ask,
                volume=(bar.volume * share).to_integral_value(rounding=ROUND_FLOOR),
                amount=quantize_money(bar.amount * share) if bar.amount is not None else None,
            )
        )
    return quotes


def bar_event(code: str, bar: ParsedBar) -> BarEvent:
    return BarEvent(
        code=code,
        at=session_time(bar.day, SESSION_MINUTES),
        day=bar.day,
        open=bar.open,
        high=bar.high,
        low=bar.low,
        close=bar.close,
        volume=bar.volume,
        amount=bar.amount,
    )


class CsvReplayFeed:
    """Replays bar files (``datetime,open,high,low,close,volume[,amount]``), one per code."""

    source: str = PriceSource.REPLAY

    def __init__(
        self,
        files: Mapping[str, Path],
        *,
        interval: int = 30,
        tick: Decimal = DEFAULT_TICK,
        with_bars: bool = True,
    ) -> None:
        self.files = dict(files)
        self.interval = interval
        self.tick = tick
        self.with_bars = with_bars
        self._bars: dict[str, list[ParsedBar]] = {}

    @classmethod
    def from_directory(
        cls, directory: Path, codes: list[str] | None = None, **options: object
    ) -> CsvReplayFeed:
        available = {p.stem: p for p in sorted(Path(directory).glob("*.csv"))}
        wanted = codes or sorted(available)
        missing = [c for c in wanted if c not in available]
        if missing:
            raise InvalidInput(
                f"no bar file for {', '.join(missing)} in {directory}", field="codes"
            )
        return cls({c: available[c] for c in wanted}, **options)  # type: ignore[arg-type]

    def bars(self, code: str) -> list[ParsedBar]:
        """Every bar in ``code``'s file, validated as the importer validates them."""
        if code not in self._bars:
            with self.files[code].open(newline="", encoding="utf-8") as handle:
                self._bars[code] = sorted(parse_bars(handle), key=lambda b: b.day)
        return self._bars[code]

    def _events_for(self, code: str, start: date, end: date) -> Iterator[PriceEvent]:
        prev_close: Decimal | None = None
        for bar in self.bars(code):
            if start <= bar.day <= end:
                yield from intraday_path(
                    code, bar, prev_close, interval=self.interval, tick=self.tick
                )
                if self.with_bars:
                    yield bar_event(code, bar)
            prev_close = bar.close

    def stream(self, start: date, end: date) -> Iterator[PriceEvent]:
        """All codes' events merged in time order (quotes before the bar at the same instant)."""
        streams = [self._events_for(code, start, end) for code in sorted(self.files)]
        return heapq.merge(*streams, key=lambda e: (e.at, isinstance(e, BarEvent), e.code))
