"""Reads of market data, each one query however many instruments are asked about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from core.exceptions import InvalidInput
from core.money import quantize_price, quantize_rate
from markets.models import DailyBar, FundingSeries, Instrument, Quote, SeriesPoint, Suspension


def instrument_by_code(code: str) -> Instrument:
    instrument = Instrument.objects.filter(code=code).order_by("exchange").first()
    if instrument is None:
        raise InvalidInput(f"unknown instrument {code!r}", field="instrument")
    return instrument


def instruments_by_code(codes: Iterable[str]) -> dict[str, Instrument]:
    """Instruments for ``codes``; an unknown code is refused by name."""
    wanted = sorted(set(codes))
    found = {i.code: i for i in Instrument.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(f"unknown instruments: {', '.join(missing)}", field="codes")
    return found


def previous_closes(instrument_ids: Iterable[int], day: date) -> dict[int, Decimal]:
    """The last close strictly before ``day`` per instrument (the reference for limit prices)."""
    last_close = (
        DailyBar.objects.filter(instrument=OuterRef("pk"), date__lt=day)
        .order_by("-date")
        .values("close")[:1]
    )
    rows = (
        Instrument.objects.filter(pk__in=list(instrument_ids))
        .annotate(prev_close=Subquery(last_close))
        .values_list("pk", "prev_close")
    )
    return {pk: quantize_price(close) for pk, close in rows if close is not None}


def suspensions_on(instrument_ids: Iterable[int], day: date) -> dict[int, Suspension]:
    """The suspension in force on ``day`` per halted instrument (resumed_on is the day back)."""
    rows = Suspension.objects.filter(
        Q(resumed_on__isnull=True) | Q(resumed_on__gt=day),
        instrument_id__in=list(instrument_ids),
        suspended_on__lte=day,
    ).order_by("instrument_id", "-suspended_on")
    found: dict[int, Suspension] = {}
    for row in rows:
        found.setdefault(row.instrument_id, row)
    return found


@dataclass(frozen=True)
class LatestPrice:
    price: Decimal
    as_of: datetime | date
    kind: str  # "quote" or "close"


def latest_prices(
    instrument_ids: Iterable[int], *, as_of: datetime | None = None
) -> dict[int, LatestPrice]:
    """The latest price per instrument in one query: the last quote, else the last close.

    A quote wins only when it is from a later trading day than the last daily bar: once a day's
    bar is in, its close is the official price of that day. With ``as_of``, nothing later is seen.
    """
    quotes = Quote.objects.filter(instrument=OuterRef("pk"))
    bars = DailyBar.objects.filter(instrument=OuterRef("pk"))
    if as_of is not None:
        quotes = quotes.filter(ts__lte=as_of)
        bars = bars.filter(date__lte=as_of.date())
    quotes = quotes.order_by("-ts")
    bars = bars.order_by("-date")
    rows = (
        Instrument.objects.filter(pk__in=list(instrument_ids))
        .annotate(
            q_last=Subquery(quotes.values("last")[:1]),
            q_ts=Subquery(quotes.values("ts")[:1]),
            q_day=Subquery(quotes.values("day")[:1]),
            b_close=Subquery(bars.values("close")[:1]),
            b_date=Subquery(bars.values("date")[:1]),
        )
        .values_list("pk", "q_last", "q_ts", "q_day", "b_close", "b_date")
    )
    found: dict[int, LatestPrice] = {}
    for pk, q_last, q_ts, q_day, b_close, b_date in rows:
        if q_last is not None and (b_date is None or q_day > b_date):
            found[pk] = LatestPrice(quantize_price(q_last), q_ts, "quote")
        elif b_close is not None:
            found[pk] = LatestPrice(quantize_price(b_close), b_date, "close")
    return found


@dataclass(frozen=True)
class BarRow:
    day: date
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    amount: Decimal | None
    turnover: Decimal | None  # volume / free-float shares, None when free float is unknown


def bar_series(instrument_ids: Iterable[int], start: date, end: date) -> dict[int, list[BarRow]]:
    """Daily bars with turnover per instrument in ``[start, end]``, oldest first; one query.

    Turnover uses the instrument's current free-float share count for every day.
    """
    ids = list(instrument_ids)
    rows = (
        DailyBar.objects.filter(instrument_id__in=ids, date__gte=start, date__lte=end)
        .order_by("instrument_id", "date")
        .values_list(
            "instrument_id",
            "date",
            "open",
            "high",
            "low",
            "close",
            "volume",
            "amount",
            "instrument__free_float_shares",
        )
    )
    series: dict[int, list[BarRow]] = {pk: [] for pk in ids}
    for pk, day, o, h, low, c, vol, amount, free_float in rows:
        turnover = quantize_rate(vol / free_float) if free_float else None
        series[pk].append(BarRow(day, o, h, low, c, vol, amount, turnover))
    return series


def turnover_series(instrument: Instrument, start: date, end: date) -> list[tuple[date, Decimal]]:
    """Daily turnover (volume / free-float shares) of one instrument; refused without free float."""
    if not instrument.free_float_shares:
        raise InvalidInput(
            f"{instrument.code}: free-float shares are not set, so turnover is unknown",
            field="free_float_shares",
        )
    rows = bar_series([instrument.pk], start, end)[instrument.pk]
    return [(row.day, row.turnover) for row in rows if row.turnover is not None]


def funding_series_values(
    keys: Iterable[str], start: date, end: date
) -> dict[str, list[tuple[date, Decimal]]]:
    """Points of the named funding series in ``[start, end]``, oldest first; one query."""
    wanted = sorted(set(keys))
    known = set(FundingSeries.objects.filter(key__in=wanted).values_list("key", flat=True))
    missing = [k for k in wanted if k not in known]
    if missing:
        raise InvalidInput(f"unknown funding series: {', '.join(missing)}", field="series")
    rows = (
        SeriesPoint.objects.filter(series__key__in=wanted, date__gte=start, date__lte=end)
        .order_by("series__key", "date")
        .values_list("series__key", "date", "value")
    )
    found: dict[str, list[tuple[date, Decimal]]] = {k: [] for k in wanted}
    for key, day, value in rows:
        found[key].append((day, value))
    return found
