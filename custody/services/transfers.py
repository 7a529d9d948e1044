"""Internal transfers of cash between two margin accounts (no bank involved)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.exceptions import IllegalTransition, InvalidInput
from core.idempotency import run_once
from custody.enums import Channel, ChartCode, EntryKind, MarginAccountStatus, MovementDirection
from custody.models import JournalEntry, MarginAccount
from custody.services.guards import (
    ensure_cash_available,
    ensure_funds_may_leave,
    ensure_ratio_allows,
    positive_amount,
)
from custody.services.ledger import credit, debit, post_entry
from custody.services.movements import movement_record
from custody.services.withdrawals import lock_client_cash

C = ChartCode


def internal_transfer(
    *,
    source: MarginAccount,
    target: MarginAccount,
    amount: Any,
    idempotency_key: str,
    by: Any,
    memo: str = "",
    business_date: date | None = None,
) -> JournalEntry:
    """Move cash from one margin account to another; the same guards as a withdrawal apply."""
    value = positive_amount(amount)
    if source.pk == target.pk:
        raise InvalidInput("a transfer needs two different margin accounts", field="target")
    if source.currency != target.currency:
        raise InvalidInput("both accounts must be in the same currency", field="target")
    day = business_date or timezone.localdate()
    payload = {"source": source.pk, "target": target.pk, "amount": str(value), "memo": memo}
    with transaction.atomic():
        result, _ = run_once(
            scope="custody.internal_transfer",
            key=idempotency_key,
            payload=payload,
            action=lambda: _transfer(source, target, value, by, memo, day, idempotency_key),
            actor=by,
        )
    return JournalEntry.objects.get(pk=result["entry_id"])


def _transfer(
    source: MarginAccount,
    target: MarginAccount,
    amount: Any,
    by: Any,
    memo: str,
    day: date,
    key: str,
) -> dict[str, Any]:
    ensure_funds_may_leave(source, what="transfer")
    if MarginAccount.objects.values_list("status", flat=True).get(pk=target.pk) != (
        MarginAccountStatus.OPEN
    ):
        raise IllegalTransition(f"transfer refused: {target.account_no} is not open")
    cash_row = lock_client_cash(source)
    ensure_cash_available(source, cash_row.natural_balance, amount, what="transfer")
    ensure_ratio_allows(margin_account=source, amount=amount, on=day, what="transfer")
    entry = post_entry(
        key=f"transfer-{key}",
        kind=EntryKind.TRANSFER,
        business_date=day,
        legs=[debit(C.CLIENT_CASH, amount, source), credit(C.CLIENT_CASH, amount, target)],
        memo=memo or f"transfer {source.account_no} → {target.account_no}",
        margin_account=source,
        created_by=by,
    )
    for account, direction, other in (
        (source, MovementDirection.OUT, target),
        (target, MovementDirection.IN, source),
    ):
        movement_record(
            margin_account=account,
            direction=direction,
            channel=Channel.INTERNAL,
            amount=amount,
            business_date=day,
            own_account=False,
            counterparty=other.account_no,
            entry=entry,
        )
    return {"entry_id": entry.pk}
