"""Instrument reference data and suspensions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from core.exceptions import InvalidInput
from markets.codes import classify_code
from markets.enums import InstrumentKind
from markets.models import Instrument, Suspension


@transaction.atomic
def instrument_ensure(
    *,
    code: str,
    name: str,
    kind: str = InstrumentKind.STOCK,
    listing_date: date | None = None,
    is_st: bool = False,
) -> Instrument:
    """Find or create the instrument for ``code``; exchange and board come from the code."""
    exchange, board = classify_code(code)
    instrument, created = Instrument.objects.get_or_create(
        exchange=exchange,
        code=code,
        defaults={
            "board": board,
            "name": name,
            "kind": kind,
            "listing_date": listing_date,
            "is_st": is_st,
        },
    )
    return instrument


@transaction.atomic
def instrument_define(
    *,
    code: str,
    name: str,
    kind: str = InstrumentKind.STOCK,
    listing_date: date | None = None,
    is_st: bool = False,
    index_constituent: bool = False,
    free_float_shares: Decimal | None = None,
    pe_ttm: Decimal | None = None,
) -> Instrument:
    """Create the instrument for ``code`` or bring its reference data up to date (idempotent)."""
    instrument = instrument_ensure(code=code, name=name, kind=kind, listing_date=listing_date)
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    wanted = {
        "name": name,
        "kind": kind,
        "listing_date": listing_date,
        "is_st": is_st,
        "index_constituent": index_constituent,
        "free_float_shares": free_float_shares,
        "pe_ttm": pe_ttm,
    }
    changed = [field for field, value in wanted.items() if getattr(instrument, field) != value]
    if changed:
        for field in changed:
            setattr(instrument, field, wanted[field])
        instrument.save(update_fields=changed)
    return instrument


def suspension_problems(
    *,
    instrument: Instrument,
    suspended_on: date,
    resumed_on: date | None,
    exclude_pk: int | None = None,
) -> list[str]:
    """Why a suspension period cannot be recorded (empty when it can)."""
    if resumed_on is not None and resumed_on <= suspended_on:
        return [f"resumed on {resumed_on} must be after suspended on {suspended_on}"]
    others = Suspension.objects.filter(instrument=instrument)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    overlapping = others.filter(Q(resumed_on__isnull=True) | Q(resumed_on__gt=suspended_on))
    if resumed_on is not None:
        overlapping = overlapping.filter(suspended_on__lt=resumed_on)
    clash = overlapping.order_by("suspended_on").first()
    if clash is None:
        return []
    until = clash.resumed_on or "still suspended"
    return [
        f"{instrument.code} is already suspended from {clash.suspended_on} ({until}); "
        "edit that suspension instead"
    ]


@transaction.atomic
def suspension_save(
    *,
    instrument: Instrument,
    suspended_on: date,
    resumed_on: date | None = None,
    reason: str = "",
    suspension: Suspension | None = None,
) -> Suspension:
    """Record a trading halt (or correct one); periods of one instrument never overlap."""
    Instrument.objects.select_for_update().get(pk=instrument.pk)  # one writer per instrument
    problems = suspension_problems(
        instrument=instrument,
        suspended_on=suspended_on,
        resumed_on=resumed_on,
        exclude_pk=suspension.pk if suspension else None,
    )
    if problems:
        raise InvalidInput("; ".join(problems), field="suspended_on")
    suspension = suspension or Suspension(instrument=instrument)
    suspension.suspended_on = suspended_on
    suspension.resumed_on = resumed_on
    suspension.reason = reason
    suspension.save()
    return suspension
