"""The rules applied to real instruments on real days: bands, limit prices, halts, refusals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils import timezone

from core.exceptions import InvalidInput
from core.money import to_decimal
from markets import calendar
from markets.models import Instrument, Suspension
from markets.rules.book import RuleBook
from markets.rules.pure import (
    MarketDay,
    PriceBand,
    limit_prices_from,
    lot_problems,
    price_problems,
)
from markets.selectors import previous_closes, suspensions_on


def price_band(instrument: Instrument, day: date, *, book: RuleBook | None = None) -> PriceBand:
    """The band on ``day``: none in a stock's first N trading days, else by board / ST / kind.

    Listing days are counted on the XSHG calendar from ``listing_date`` (day 1); N is the rule in
    force on the listing date. The band itself is the one in force on ``day``.
    """
    book = book or RuleBook.load()
    listed = instrument.listing_date
    if listed is not None and day >= listed:
        n = len(calendar.trading_days_between(listed, day))
        free = book.free_days(instrument, listed)
        if n <= free:
            return PriceBand(
                None,
                f"no limit: trading day {n} of the first {free} after listing on {listed}",
            )
    return book.band_rate(instrument, day)


def _halt(instrument: Instrument, day: date, suspension: Suspension | None) -> str | None:
    if suspension is not None:
        why = f" ({suspension.reason})" if suspension.reason else ""
        return f"{instrument.code} is suspended on {day}{why}"
    if instrument.listing_date is not None and day < instrument.listing_date:
        return f"{instrument.code} is not listed until {instrument.listing_date}"
    if instrument.delisted_on is not None and day >= instrument.delisted_on:
        return f"{instrument.code} was delisted on {instrument.delisted_on}"
    if not calendar.is_trading_day(day):
        return f"{day} is not a trading day"
    return None


def market_day_from(
    instrument: Instrument,
    day: date,
    book: RuleBook,
    prev_close: Decimal | None,
    suspension: Suspension | None,
) -> MarketDay:
    """The rules for one instrument on ``day`` from inputs already read (no query)."""
    tick = book.tick(instrument, day)
    band = price_band(instrument, day, book=book)
    up = down = None
    if band.rate is not None and prev_close is not None:
        up, down = limit_prices_from(prev_close, band.rate, tick)
    return MarketDay(
        code=instrument.code,
        day=day,
        tick=tick,
        lots=book.lots(instrument, day),
        band=band,
        prev_close=prev_close,
        limit_up=up,
        limit_down=down,
        halt=_halt(instrument, day, suspension),
    )


def market_days(
    instruments: Iterable[Instrument], day: date, *, book: RuleBook | None = None
) -> dict[int, MarketDay]:
    """The rules for many instruments on ``day``: two queries (closes, suspensions) plus rules."""
    instruments = list(instruments)
    book = book or RuleBook.load()
    ids = [i.pk for i in instruments]
    closes = previous_closes(ids, day)
    halted = suspensions_on(ids, day)
    return {
        i.pk: market_day_from(i, day, book, closes.get(i.pk), halted.get(i.pk)) for i in instruments
    }


def market_day(
    instrument: Instrument,
    day: date,
    *,
    prev_close: Decimal | None = None,
    book: RuleBook | None = None,
) -> MarketDay:
    """The rules for one instrument on ``day``.

    ``prev_close`` defaults to the last stored close before ``day``; pass the exchange's
    ex-rights reference price on an ex-date (the rules do not derive it from corporate actions).
    """
    book = book or RuleBook.load()
    if prev_close is None:
        prev_close = previous_closes([instrument.pk], day).get(instrument.pk)
    halt = suspensions_on([instrument.pk], day).get(instrument.pk)
    return market_day_from(instrument, day, book, prev_close, halt)


def limit_prices(
    instrument: Instrument, day: date, *, prev_close: Decimal | None = None
) -> tuple[Decimal | None, Decimal | None]:
    """(limit-up, limit-down) on ``day``; (None, None) without a band or a previous close."""
    market = market_day(instrument, day, prev_close=prev_close)
    return market.limit_up, market.limit_down


def is_suspended(instrument: Instrument, day: date) -> bool:
    return instrument.pk in suspensions_on([instrument.pk], day)


def validate_order_price(
    instrument: Instrument, day: date, price: Decimal, *, market: MarketDay | None = None
) -> Decimal:
    """Return ``price`` if an order may carry it on ``day``; else refuse with every reason."""
    market = market or market_day(instrument, day)
    problems = price_problems(market, to_decimal(price))
    if problems:
        raise InvalidInput("; ".join(problems), field="price")
    return to_decimal(price)


def validate_lot(
    instrument: Instrument,
    side: str,
    quantity: int,
    held: int = 0,
    *,
    day: date | None = None,
    book: RuleBook | None = None,
) -> None:
    """Refuse an order size the board does not accept (``held`` matters for sells)."""
    book = book or RuleBook.load()
    lots = book.lots(instrument, day or timezone.localdate())
    problems = lot_problems(lots, side, quantity, held)
    if problems:
        raise InvalidInput("; ".join(problems), field="quantity")
