"""Close prices → marks: one ``Mark`` per instrument for the business date.

Every instrument held in a position, and every instrument with a bar that day, is marked at its
close of the day; without a bar, at its last quote of the day; without either (suspended, no data
yet), at its last close before — recorded as such, so the console shows stale marks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Max, Q

from custody.models import Fill, Position
from markets.models import DailyBar, Quote
from settlement.enums import MarkSource
from settlement.models import Mark
from settlement.registry import StepContext, StepOutcome

MarkRow = tuple[Decimal, str, date]


def _last_quotes(ids: set[int], day: date) -> dict[int, MarkRow]:
    if not ids:
        return {}
    latest = (
        Quote.objects.filter(day=day, instrument_id__in=ids)
        .values("instrument_id")
        .annotate(ts=Max("ts"))
        .values_list("instrument_id", "ts")
    )
    where = Q(pk__in=[])
    for instrument_id, ts in latest:
        where |= Q(instrument_id=instrument_id, ts=ts)
    rows = Quote.objects.filter(where).values_list("instrument_id", "last")
    return {i: (price, MarkSource.LAST_QUOTE, day) for i, price in rows}


def _previous_closes(ids: set[int], day: date) -> dict[int, MarkRow]:
    if not ids:
        return {}
    latest = (
        DailyBar.objects.filter(instrument_id__in=ids, date__lt=day)
        .values("instrument_id")
        .annotate(last=Max("date"))
        .values_list("instrument_id", "last")
    )
    where = Q(pk__in=[])
    for instrument_id, last in latest:
        where |= Q(instrument_id=instrument_id, date=last)
    rows = DailyBar.objects.filter(where).values_list("instrument_id", "close", "date")
    return {i: (close, MarkSource.PREVIOUS_CLOSE, d) for i, close, d in rows}


def mark_prices(ctx: StepContext) -> StepOutcome:
    day = ctx.business_date
    found: dict[int, MarkRow] = {
        i: (close, MarkSource.CLOSE, day)
        for i, close in DailyBar.objects.filter(date=day).values_list("instrument_id", "close")
    }
    held = set(
        Position.objects.filter(quantity__gt=0).values_list("instrument_id", flat=True).distinct()
    )
    # Sold out since the date: still held at its close (see statements' positions_at_close).
    held |= set(
        Fill.objects.filter(trade_date__gt=day).values_list("instrument_id", flat=True).distinct()
    )
    found.update(_last_quotes(held - set(found), day))
    found.update(_previous_closes(held - set(found), day))
    Mark.objects.filter(business_date=day).delete()  # a rerun replaces the day's marks
    Mark.objects.bulk_create(
        [
            Mark(instrument_id=i, business_date=day, price=price, source=source, price_date=d)
            for i, (price, source, d) in sorted(found.items())
        ],
        batch_size=2000,
    )
    stale = sum(1 for _p, source, _d in found.values() if source == MarkSource.PREVIOUS_CLOSE)
    unpriced = len(held - set(found))
    return StepOutcome(
        rows_written=len(found),
        totals={"marks": str(len(found)), "stale": str(stale), "unpriced": str(unpriced)},
    )
