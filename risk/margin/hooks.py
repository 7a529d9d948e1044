"""Where the margin engine meets liquidation.

When a call moves to liquidation, :func:`start_liquidation` runs every registered starter inside
the transaction that moved it (a starter plans and queues its orders on commit). After
liquidation fills, the liquidation side calls :func:`call_reassess` to re-check the account with
exact Decimal and close the call once the ratio is restored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from custody.models import MarginAccount
    from risk.margin.models import MarginCall

LiquidationStarter = Callable[..., None]  # fn(call, *, actor)

_starters: list[LiquidationStarter] = []


def register_liquidation_starter(fn: LiquidationStarter) -> None:
    if fn not in _starters:
        _starters.append(fn)


def unregister_liquidation_starter(fn: LiquidationStarter) -> None:
    if fn in _starters:
        _starters.remove(fn)


def liquidation_starters() -> tuple[LiquidationStarter, ...]:
    return tuple(_starters)


def start_liquidation(call: MarginCall, *, actor: Any) -> None:
    """Hand a call that has just moved to liquidation to every registered starter."""
    for fn in tuple(_starters):
        fn(call, actor=actor)


def call_reassess(
    margin_account: MarginAccount,
    *,
    actor: Any,
    on: date | None = None,
    closing: bool = False,
) -> MarginCall | None:
    """Re-check one account with exact Decimal and cure, issue, advance or close its call."""
    from risk.margin.services.calls import call_reassess as reassess

    return reassess(margin_account, actor=actor, on=on, closing=closing)
