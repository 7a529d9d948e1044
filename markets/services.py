"""Instrument writes."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from markets.codes import classify_code
from markets.enums import InstrumentKind
from markets.models import Instrument


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
