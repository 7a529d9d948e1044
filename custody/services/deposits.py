"""Deposits: expected → bank confirmed → posted; third-party money is held for review.

Ledger (debit-positive): own-account money    Dr custodian bank / Cr client cash;
                         third-party money    Dr custodian bank / Cr suspense, then on release
                                              Dr suspense / Cr client cash, or on return
                                              Dr suspense / Cr custodian bank.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.crypto import blind_index
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.fsm import apply_transition
from core.idempotency import run_once
from core.money import format_money
from core.redaction import mask_identifier
from custody.enums import Channel, ChartCode, DepositStatus, EntryKind, MovementDirection
from custody.models import Deposit, MarginAccount
from custody.services.accounts import is_own_account
from custody.services.guards import positive_amount
from custody.services.ledger import credit, debit, post_entry
from custody.services.movements import movement_record

C = ChartCode


def new_reference(prefix: str) -> str:
    return f"{prefix}{timezone.localdate():%y%m%d}{secrets.token_hex(4).upper()}"


def deposit_expect(
    *,
    margin_account: MarginAccount,
    amount: Any,
    idempotency_key: str,
    by: Any,
    expected_on: date | None = None,
    channel: str = Channel.BANK_TRANSFER,
    cross_border: bool = False,
) -> Deposit:
    """Announce money the client is sending; the reference goes in the transfer's remarks."""
    value = positive_amount(amount)
    if channel not in (Channel.BANK_TRANSFER, Channel.CASH):
        raise InvalidInput(f"channel: {channel!r} is not a deposit channel", field="channel")
    day = expected_on or timezone.localdate()
    payload = {
        "account": margin_account.pk,
        "amount": str(value),
        "on": day.isoformat(),
        "channel": channel,
        "cross_border": cross_border,
    }

    def create() -> dict[str, Any]:
        deposit = Deposit.objects.create(
            margin_account=margin_account,
            reference=new_reference("D"),
            amount=value,
            currency=margin_account.currency,
            channel=channel,
            cross_border=cross_border,
            expected_on=day,
            requested_by=by if getattr(by, "is_authenticated", False) else None,
        )
        return {"deposit_id": deposit.pk}

    with transaction.atomic():
        result, _ = run_once(
            scope="custody.deposit_expect",
            key=idempotency_key,
            payload=payload,
            action=create,
            actor=by,
        )
    return Deposit.objects.get(pk=result["deposit_id"])


@transaction.atomic
def deposit_confirm(
    *,
    deposit: Deposit,
    amount: Any,
    from_account_no: str,
    from_account_name: str = "",
    bank_reference: str = "",
    by: Any = None,
    business_date: date | None = None,
    is_cash: bool = False,
) -> Deposit:
    """The bank reports the money in: post it to client cash, or hold it if not from the client.

    Safe to call twice with the same facts (the first result is returned).
    """
    received = positive_amount(amount)
    payload = {
        "amount": str(received),
        "from": blind_index(from_account_no or "-"),
        "bank_reference": bank_reference,
        "cash": is_cash,
    }
    result, _ = run_once(
        scope="custody.deposit_confirm",
        key=f"deposit-{deposit.pk}",
        payload=payload,
        action=lambda: _confirm(
            deposit,
            received,
            from_account_no,
            from_account_name,
            bank_reference,
            by,
            business_date or timezone.localdate(),
            is_cash,
        ),
        actor=by,
    )
    return Deposit.objects.get(pk=result["deposit_id"])


def _confirm(
    deposit: Deposit,
    received: Decimal,
    from_account_no: str,
    from_name: str,
    bank_reference: str,
    by: Any,
    day: date,
    is_cash: bool,
) -> dict[str, Any]:
    locked = Deposit.objects.select_for_update().select_related("margin_account").get(pk=deposit.pk)
    if received != locked.amount:
        raise InvalidInput(
            f"deposit {locked.reference}: the bank reports {format_money(received)} but "
            f"{format_money(locked.amount)} was expected; resolve it as a reconciliation break",
            field="amount",
        )
    account = locked.margin_account
    own = is_own_account(account, from_account_no)
    if is_cash:
        locked.channel = Channel.CASH
    apply_transition(locked, "confirm_by_bank", by=by, reason=f"bank ref {bank_reference}")
    locked.received_amount = received
    locked.bank_reference = bank_reference[:60]
    locked.from_account_masked = mask_identifier(from_account_no, keep_start=4, keep_end=4)
    locked.from_account_index = blind_index(from_account_no) if from_account_no else ""
    locked.from_account_name = from_name[:200]
    locked.from_own_account = own
    target = C.CLIENT_CASH if own else C.SUSPENSE
    entry = post_entry(
        key=f"deposit-{locked.pk}",
        kind=EntryKind.DEPOSIT if own else EntryKind.DEPOSIT_HELD,
        business_date=day,
        legs=[
            debit(C.CUSTODIAN_BANK, received),
            credit(target, received, account if own else None),
        ],
        memo=f"deposit {locked.reference}",
        margin_account=account,
        created_by=by,
    )
    locked.entry = entry
    if own:
        apply_transition(locked, "post", by=by, reason="from the client's own account")
    else:
        apply_transition(
            locked, "hold", by=by, reason="from an account other than the client's registered one"
        )
    locked.save()
    movement_record(
        margin_account=account,
        direction=MovementDirection.IN,
        channel=locked.channel,
        amount=received,
        business_date=day,
        own_account=own,
        counterparty=f"{from_name} {locked.from_account_masked}".strip(),
        cross_border=locked.cross_border,
        deposit=locked,
        entry=entry,
    )
    return {"deposit_id": locked.pk, "status": locked.status}


def _lock_held(deposit: Deposit, by: Any, note: str) -> Deposit:
    if not by.has_perm("custody.review_deposit"):
        raise PermissionRefused(f"{by} may not review held deposits")
    if not note.strip():
        raise InvalidInput("a review note is required", field="note")
    locked = Deposit.objects.select_for_update().select_related("margin_account").get(pk=deposit.pk)
    if locked.status != DepositStatus.HELD:
        raise IllegalTransition(
            f"deposit {locked.reference} is {locked.get_status_display()}; only held deposits "
            "can be released or returned"
        )
    return locked


@transaction.atomic
def deposit_release(*, deposit: Deposit, by: Any, note: str) -> Deposit:
    """After review, credit held third-party money to the client's cash."""
    locked = _lock_held(deposit, by, note)
    locked.release_entry = post_entry(
        key=f"deposit-release-{locked.pk}",
        kind=EntryKind.DEPOSIT_RELEASE,
        business_date=timezone.localdate(),
        legs=[
            debit(C.SUSPENSE, locked.amount),
            credit(C.CLIENT_CASH, locked.amount, locked.margin_account),
        ],
        memo=f"held deposit {locked.reference} released",
        margin_account=locked.margin_account,
        created_by=by,
    )
    apply_transition(locked, "post", by=by, reason=note.strip())
    locked.reviewed_by = by
    locked.review_note = note.strip()
    locked.save()
    audit.record(
        action=AuditAction.APPROVAL,
        actor=by,
        obj=locked,
        details={"decision": "release held deposit"},
    )
    return locked


@transaction.atomic
def deposit_return(*, deposit: Deposit, by: Any, note: str) -> Deposit:
    """After review, pay held third-party money back to where it came from."""
    locked = _lock_held(deposit, by, note)
    locked.release_entry = post_entry(
        key=f"deposit-return-{locked.pk}",
        kind=EntryKind.DEPOSIT_RETURN,
        business_date=timezone.localdate(),
        legs=[debit(C.SUSPENSE, locked.amount), credit(C.CUSTODIAN_BANK, locked.amount)],
        memo=f"held deposit {locked.reference} returned to sender",
        margin_account=locked.margin_account,
        created_by=by,
    )
    apply_transition(locked, "return_to_sender", by=by, reason=note.strip())
    locked.reviewed_by = by
    locked.review_note = note.strip()
    locked.save()
    audit.record(
        action=AuditAction.REJECTION,
        actor=by,
        obj=locked,
        details={"decision": "return held deposit"},
    )
    return locked
