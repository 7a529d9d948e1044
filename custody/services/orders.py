"""Order records: created accepted or rejected (by ``risk.orders.order_submit``), cancelled,
expired at the end of their trading day. The checks themselves live in ``risk.pretrade``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from core.exceptions import InvalidInput
from core.fsm import apply_transition
from custody.enums import OPEN_ORDER_STATUSES, OrderPurpose
from custody.lock_objects import account_for_update, order_for_update
from custody.models import MarginAccount, Order
from markets.models import Instrument


@dataclass(frozen=True)
class OrderSpec:
    margin_account: MarginAccount
    instrument: Instrument
    side: str
    order_type: str
    quantity: int
    limit_price: Decimal | None
    reference_price: Decimal | None
    channel: str
    purpose: str
    liquidation_ref: str
    trade_date: date
    idempotency_key: str


def order_record(
    *,
    spec: OrderSpec,
    reasons: Sequence[str],
    what_if: dict[str, Any],
    submitted_by: Any,
) -> Order:
    """Create the order (new) and accept it, or reject it with ``reasons``; the caller holds the
    margin account's row lock and its transaction."""
    order = Order.objects.create(
        margin_account=spec.margin_account,
        instrument=spec.instrument,
        side=spec.side,
        order_type=spec.order_type,
        quantity=spec.quantity,
        limit_price=spec.limit_price,
        reference_price=spec.reference_price,
        channel=spec.channel,
        purpose=spec.purpose or OrderPurpose.TRADE,
        liquidation_ref=spec.liquidation_ref,
        trade_date=spec.trade_date,
        idempotency_key=spec.idempotency_key,
        reasons=list(reasons),
        what_if=what_if,
        submitted_by=submitted_by if getattr(submitted_by, "is_authenticated", False) else None,
    )
    if reasons:
        apply_transition(order, "reject", by=submitted_by, reason="; ".join(reasons)[:500])
    else:
        apply_transition(order, "accept", by=submitted_by, reason="pre-trade checks passed")
    order.save()
    return order


@transaction.atomic
def order_cancel(*, order: Order, by: Any, reason: str) -> Order:
    """Cancel what is still open; fills already captured stay."""
    if not reason.strip():
        raise InvalidInput("say why the order is cancelled", field="reason")
    account_for_update(order.margin_account_id)
    locked = order_for_update(order.pk)
    apply_transition(locked, "cancel", by=by, reason=reason.strip())
    locked.closed_note = reason.strip()[:300]
    locked.save()
    return locked


@transaction.atomic
def orders_expire(*, trade_date: date, by: Any = None) -> int:
    """End of day: day orders of ``trade_date`` (or earlier) still open expire. Idempotent."""
    count = 0
    ids = Order.objects.filter(trade_date__lte=trade_date, status__in=OPEN_ORDER_STATUSES).order_by(
        "margin_account_id", "pk"
    )
    for order_id, account_id in ids.values_list("pk", "margin_account_id"):
        account_for_update(account_id)
        order = order_for_update(order_id)
        if order.status not in OPEN_ORDER_STATUSES:
            continue
        apply_transition(order, "expire", by=by, reason=f"end of trading day {order.trade_date}")
        order.closed_note = f"expired after the close of {order.trade_date}"
        order.save()
        count += 1
    return count
