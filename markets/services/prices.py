"""Store prices from a feed and tell the registered listeners which instruments ticked."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from core.exceptions import InvalidInput
from markets.barfile import ParsedBar
from markets.feeds.events import BarEvent, PriceEvent, PriceFeed, QuoteEvent
from markets.feeds.listeners import PriceTick, notify_price_listeners
from markets.models import DailyBar, Instrument, Quote
from markets.selectors import instruments_by_code

QUOTE_FIELDS = ["day", "last", "bid", "ask", "bid_size", "ask_size", "volume", "amount", "source"]
BAR_FIELDS = ["open", "high", "low", "close", "volume", "amount", "source"]


def _check_quote(event: QuoteEvent) -> None:
    where = f"{event.code} at {event.at.isoformat()}"
    if event.last <= 0:
        raise InvalidInput(f"{where}: last price {event.last} must be positive", field="last")
    if event.bid is not None and event.ask is not None and event.ask < event.bid:
        raise InvalidInput(f"{where}: ask {event.ask} is below bid {event.bid}", field="ask")
    if event.volume < 0:
        raise InvalidInput(f"{where}: volume {event.volume} must not be negative", field="volume")


def _quote_row(event: QuoteEvent, instrument: Instrument, source: str) -> Quote:
    _check_quote(event)
    return Quote(
        instrument=instrument,
        day=event.day,
        ts=event.at,
        last=event.last,
        bid=event.bid,
        ask=event.ask,
        bid_size=event.bid_size,
        ask_size=event.ask_size,
        volume=event.volume,
        amount=event.amount,
        source=source,
    )


def _bar_row(event: BarEvent, instrument: Instrument, source: str) -> DailyBar:
    if not (
        0 < event.low <= min(event.open, event.close) <= max(event.open, event.close) <= event.high
    ):
        raise InvalidInput(
            f"{event.code} bar {event.day}: high {event.high} / low {event.low} do not contain "
            f"open {event.open} and close {event.close}",
            field="bar",
        )
    return DailyBar(
        instrument=instrument,
        date=event.day,
        open=event.open,
        high=event.high,
        low=event.low,
        close=event.close,
        volume=event.volume,
        amount=event.amount,
        source=source,
    )


@transaction.atomic
def prices_record(
    *,
    events: Sequence[PriceEvent],
    source: str,
    instruments: dict[str, Instrument] | None = None,
) -> PriceTick | None:
    """Upsert the quotes (per instrument and instant) and bars (per instrument and day) of
    ``events``; all or nothing. Returns the tick to announce, or None for no events."""
    if not events:
        return None
    known = dict(instruments or {})
    unknown = {e.code for e in events} - set(known)
    if unknown:
        known.update(instruments_by_code(unknown))
    quotes = [_quote_row(e, known[e.code], source) for e in events if isinstance(e, QuoteEvent)]
    bars = [_bar_row(e, known[e.code], source) for e in events if isinstance(e, BarEvent)]
    if quotes:
        Quote.objects.bulk_create(
            quotes,
            update_conflicts=True,
            unique_fields=["instrument", "ts"],
            update_fields=QUOTE_FIELDS,
        )
    if bars:
        DailyBar.objects.bulk_create(
            bars,
            update_conflicts=True,
            unique_fields=["instrument", "date"],
            update_fields=BAR_FIELDS,
        )
    ticked = sorted({(known[e.code].pk, e.code) for e in events})
    return PriceTick(
        at=max(e.at for e in events),
        instrument_ids=tuple(pk for pk, _ in ticked),
        codes=tuple(code for _, code in ticked),
        closing=bool(bars),
    )


@transaction.atomic
def bars_store(*, instrument: Instrument, bars: Sequence[ParsedBar], source: str) -> int:
    """Upsert daily bars of one instrument (per instrument and day); returns how many."""
    rows = [
        DailyBar(
            instrument=instrument,
            date=b.day,
            open=b.open,
            high=b.high,
            low=b.low,
            close=b.close,
            volume=b.volume,
            amount=b.amount,
            source=source,
        )
        for b in bars
    ]
    DailyBar.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["instrument", "date"],
        update_fields=BAR_FIELDS,
    )
    return len(rows)


@dataclass
class FeedRunSummary:
    quotes: int = 0
    bars: int = 0
    ticks: int = 0
    days: set[date] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)


def feed_run(
    *, feed: PriceFeed, start: date, end: date, codes: Sequence[str] | None = None
) -> FeedRunSummary:
    """Play ``feed`` from ``start`` to ``end``: store each instant's events, then notify.

    Each instant is stored in its own transaction, then the listeners hear about it, so a
    listener sees the prices it is told about.
    """
    if end < start:
        raise InvalidInput(f"the replay ends ({end}) before it starts ({start})", field="end")
    instruments = instruments_by_code(codes) if codes else {}
    summary = FeedRunSummary()
    for _, group in itertools.groupby(feed.stream(start, end), key=lambda e: e.at):
        events = list(group)
        unknown = {e.code for e in events} - set(instruments)
        if unknown:
            instruments.update(instruments_by_code(unknown))
        tick = prices_record(events=events, source=feed.source, instruments=instruments)
        if tick is None:
            continue
        summary.quotes += sum(isinstance(e, QuoteEvent) for e in events)
        summary.bars += sum(isinstance(e, BarEvent) for e in events)
        summary.ticks += 1
        summary.days.update(e.day for e in events)
        summary.codes.update(tick.codes)
        notify_price_listeners(tick)
    return summary
