"""The single order-entry service: every channel (portal, partner API, console, the liquidation
planner) calls :func:`order_submit`.

It locks the margin account row (so two orders on one account are checked one after the other:
an accepted buy's reservation is seen by the next), runs every pre-trade check, and records the
order accepted, or rejected with all its reasons. Idempotent: the same key and request return
the first order; the same key with another request is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.exceptions import InvalidInput
from core.idempotency import run_once
from custody.enums import OrderChannel, OrderPurpose, OrderStatus
from custody.lock_objects import account_for_update
from custody.models import MarginAccount, Order
from custody.services.orders import OrderSpec, order_record
from markets.models import Instrument
from risk.pretrade import WhatIf, pretrade_check, resolve_instrument


@dataclass(frozen=True)
class OrderResult:
    order: Order
    accepted: bool
    reasons: tuple[str, ...]
    what_if: WhatIf | None
    replayed: bool = False


def _validate_channel(channel: str, purpose: str, liquidation_ref: str | None) -> None:
    if channel not in OrderChannel.values:
        raise InvalidInput(
            f"channel {channel!r} must be one of {', '.join(OrderChannel.values)}", field="channel"
        )
    if purpose not in OrderPurpose.values:
        raise InvalidInput(f"purpose {purpose!r} must be trade or liquidation", field="purpose")
    if purpose == OrderPurpose.LIQUIDATION and not (liquidation_ref or "").strip():
        raise InvalidInput(
            "a liquidation order needs the liquidation reference it executes",
            field="liquidation_ref",
        )


def order_submit(
    *,
    margin_account: MarginAccount,
    instrument: Instrument | str,
    side: str,
    quantity: int,
    order_type: str,
    limit_price: Any = None,
    channel: str,
    submitted_by: Any,
    idempotency_key: str,
    purpose: str = OrderPurpose.TRADE,
    liquidation_ref: str | None = None,
    on: date | None = None,
) -> OrderResult:
    """Check and record one order; see ``risk.pretrade`` for the checks and the what-if.

    Malformed input (unknown instrument, side, type, a non-positive or fractional quantity, a
    limit order without a price, an unknown channel) is refused with ``InvalidInput`` and
    creates nothing. ``on`` is the trade date (today by default; replays and the demo pass one).
    """
    _validate_channel(channel, purpose, liquidation_ref)
    resolved = resolve_instrument(instrument)
    day = on or timezone.localdate()
    payload = {
        "account": margin_account.pk,
        "instrument": resolved.pk,
        "side": side,
        "quantity": str(quantity),
        "order_type": order_type,
        "limit_price": str(limit_price) if limit_price not in (None, "") else None,
        "channel": channel,
        "purpose": purpose,
        "liquidation_ref": liquidation_ref or "",
        "on": day.isoformat(),
    }

    def create() -> dict[str, Any]:
        account = account_for_update(margin_account.pk)
        check = pretrade_check(
            margin_account=account,
            instrument=resolved,
            side=side,
            quantity=quantity,
            order_type=order_type,
            limit_price=limit_price,
            purpose=purpose,
            on=day,
        )
        order_in = check.context.order
        spec = OrderSpec(
            margin_account=account,
            instrument=resolved,
            side=order_in.side,
            order_type=order_in.order_type,
            quantity=order_in.quantity,
            limit_price=order_in.limit_price,
            reference_price=check.reference_price,
            channel=channel,
            purpose=purpose,
            liquidation_ref=(liquidation_ref or "").strip(),
            trade_date=day,
            idempotency_key=idempotency_key,
        )
        what = check.what_if.as_dict() if check.what_if is not None else {}
        order = order_record(
            spec=spec, reasons=check.reasons, what_if=what, submitted_by=submitted_by
        )
        return {"order": order.pk}

    with transaction.atomic():
        result, replayed = run_once(
            scope="risk.order_submit",
            key=idempotency_key,
            payload=payload,
            actor=submitted_by,
            action=create,
        )
    order = Order.objects.select_related("instrument", "margin_account").get(pk=result["order"])
    return OrderResult(
        order=order,
        accepted=order.status != OrderStatus.REJECTED,
        reasons=tuple(order.reasons),
        what_if=WhatIf.from_dict(order.what_if) if order.what_if else None,
        replayed=replayed,
    )
