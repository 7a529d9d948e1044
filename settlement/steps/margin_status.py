"""Margin status at the close: the night's interest and fees are now owed, so every account is
checked against its lines once more (the risk engine's closing sweep for the business date).

A warning still below its line at the close becomes a margin call with its deadline; an account
below the liquidation line goes to liquidation. The engine persists only changes of status and
allows one open call per account, so a rerun or a resumed run changes nothing more.
"""

from __future__ import annotations

from risk.margin.engine import sweep
from settlement.registry import StepContext, StepOutcome


def margin_status_at_close(ctx: StepContext) -> StepOutcome:
    result = sweep(ctx.business_date, closing=True)
    moved: dict[str, int] = {}
    for status in result.changed.values():
        moved[status] = moved.get(status, 0) + 1
    totals = {"accounts_checked": str(result.accounts), "candidates": str(result.candidates)}
    totals.update({f"calls_{status}": str(count) for status, count in sorted(moved.items())})
    return StepOutcome(rows_written=len(result.changed), totals=totals)
