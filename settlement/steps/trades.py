"""T+1 settlement at the close: day orders end, shares bought become sellable tomorrow.

Custody's services do the work (``orders_expire``, ``positions_roll_sellable``, the same ones
``manage.py roll_positions`` calls); both are idempotent — an expired order is no longer open, a
rolled position no longer pending — so a rerun or a resumed run changes nothing more. Shares
bought after the business date (a run late by a day) stay pending: their own date rolls them.
"""

from __future__ import annotations

from custody.services.orders import orders_expire
from custody.services.positions import positions_roll_sellable
from settlement.registry import StepContext, StepOutcome


def settle_trades(ctx: StepContext) -> StepOutcome:
    # Expire first: an open day order of D holds a reservation that must not outlive D.
    expired = orders_expire(trade_date=ctx.business_date)
    rolled = positions_roll_sellable(business_date=ctx.business_date)
    return StepOutcome(
        rows_written=expired + rolled,
        totals={"orders_expired": str(expired), "positions_rolled": str(rolled)},
    )
