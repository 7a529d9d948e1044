"""Demo: one margin sweep over the demo book at the close of the demo day, so accounts below
their lines show a warning or an issued call in the risk monitor and the portal."""

from __future__ import annotations

from core.demo import DemoContext
from markets import calendar
from risk.margin import engine


def seed(ctx: DemoContext) -> None:
    day = ctx.today if calendar.is_trading_day(ctx.today) else None
    day = day or calendar.previous_trading_day(ctx.today)
    engine.reset()
    result = engine.sweep(on=day, closing=True)
    engine.reset()
    owing = result.accounts
    ctx.log(
        f"margin: swept {owing} accounts on {day}: {result.candidates} confirmed with exact "
        f"Decimal, {len(result.changed)} call(s) opened or moved"
    )
