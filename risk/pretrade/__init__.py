"""Pre-trade checks: one service every channel uses, answering with all reasons and a what-if.

    result = pretrade_check(margin_account=..., instrument=..., side="buy", quantity=1000,
                            order_type="limit", limit_price=Decimal("10.50"))
    result.reasons   # every reason the order would be refused (empty: it would be accepted)
    result.what_if   # the maintenance ratio after it, and per position the line prices

``risk.orders.order_submit`` runs the same checks under the account's row lock and records the
order accepted or rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from custody.enums import OrderPurpose
from custody.models import MarginAccount
from markets.models import Instrument
from markets.selectors import instrument_by_code
from risk.pretrade.checks import all_reasons
from risk.pretrade.context import TradeContext, gather, validate_order_input
from risk.pretrade.whatif import PositionLines, WhatIf, line_price, maintenance_ratio, what_if

__all__ = [
    "PositionLines",
    "PreTradeResult",
    "WhatIf",
    "line_price",
    "maintenance_ratio",
    "pretrade_check",
    "resolve_instrument",
]


@dataclass(frozen=True)
class PreTradeResult:
    reasons: tuple[str, ...]
    what_if: WhatIf | None
    reference_price: Decimal | None  # what an accepted buy reserves per share
    context: TradeContext

    @property
    def accepted(self) -> bool:
        return not self.reasons


def resolve_instrument(instrument: Instrument | str) -> Instrument:
    """An instrument row, or its code; an unknown code is refused by name (no order is made)."""
    if isinstance(instrument, Instrument):
        return instrument
    return instrument_by_code(str(instrument).strip())


def pretrade_check(
    *,
    margin_account: MarginAccount,
    instrument: Instrument | str,
    side: str,
    quantity: Any,
    order_type: str,
    limit_price: Any = None,
    purpose: str = OrderPurpose.TRADE,
    on: date | None = None,
    exclude_order_id: int | None = None,
) -> PreTradeResult:
    """Every reason to refuse the order, and the what-if; changes nothing."""
    order = validate_order_input(
        instrument=resolve_instrument(instrument),
        side=side,
        quantity=quantity,
        order_type=order_type,
        limit_price=limit_price,
        purpose=purpose,
    )
    ctx = gather(
        account=margin_account,
        order=order,
        day=on or timezone.localdate(),
        exclude_order_id=exclude_order_id,
    )
    after = what_if(ctx)
    reasons = all_reasons(ctx, after.ratio_after if after is not None else None)
    return PreTradeResult(tuple(reasons), after, ctx.reserve_price, ctx)
