"""T+1: shares bought on a trading day become sellable on the next one.

The nightly clearing calls :func:`positions_roll_sellable` after the close of each business date;
fill capture and the selectors also treat pending shares from an earlier day as sellable, so the
intraday view is right even before (or without) the roll.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F

from custody.models import Position


def settle_pending(position: Position, day: date) -> None:
    """On ``day``, shares bought on an earlier day are sellable (the locked row, not saved)."""
    if position.pending_quantity and position.pending_since is not None:
        if position.pending_since < day:
            position.sellable_quantity += position.pending_quantity
            position.pending_quantity = 0
            position.pending_since = None


@transaction.atomic
def positions_roll_sellable(*, business_date: date) -> int:
    """After the close of ``business_date``: everything bought on or before it becomes sellable.

    Idempotent (a second run finds nothing pending from that day); shares bought on a later day
    (a late run) stay pending. Returns the number of positions rolled.
    """
    return Position.objects.filter(pending_quantity__gt=0, pending_since__lte=business_date).update(
        sellable_quantity=F("sellable_quantity") + F("pending_quantity"),
        pending_quantity=0,
        pending_since=None,
    )
