"""Withdrawals: requested → checked → approved → sent → confirmed | failed (reversed).

Ledger (debit-positive):
  request   Dr client cash / Cr withdrawal hold        (the cash is set aside at once)
  send      Dr withdrawal hold / Cr bank in transit    (the instruction leaves in a batch file)
  confirm   Dr bank in transit / Cr custodian bank     (the bank statement shows it paid)
  reject    reversal of the hold; fail: reversals of the send and the hold entries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.fsm import apply_transition
from core.idempotency import run_once
from core.money import ZERO, format_money
from core.sod import ensure_different_people, ensure_not_among
from custody import rules
from custody.enums import ChartCode, EntryKind, WithdrawalStatus
from custody.models import MarginAccount, Withdrawal
from custody.services.deposits import new_reference
from custody.services.guards import (
    ensure_cash_available,
    ensure_funds_may_leave,
    ensure_ratio_allows,
    positive_amount,
)
from custody.services.ledger import (
    credit,
    debit,
    entry_reverse,
    lock_balances,
    post_entry,
    resolve_accounts,
)

C = ChartCode
W = WithdrawalStatus


def _require(by: Any, perm: str, what: str) -> None:
    if not by.has_perm(perm):
        raise PermissionRefused(f"{by} may not {what}")


def lock_client_cash(margin_account: MarginAccount) -> Any:
    """Lock the client's cash and hold balances (pk order); return the cash balance row."""
    ccy = margin_account.currency
    ids = resolve_accounts(
        [(margin_account.pk, C.CLIENT_CASH, ccy), (margin_account.pk, C.WITHDRAWAL_HOLD, ccy)]
    )
    locked = lock_balances(ids.values())
    return locked[ids[(margin_account.pk, C.CLIENT_CASH, ccy)]]


def withdrawal_request(
    *,
    margin_account: MarginAccount,
    amount: Any,
    idempotency_key: str,
    by: Any,
    business_date: date | None = None,
) -> Withdrawal:
    """Ask for cash to go to the client's registered bank account; the cash is held at once."""
    value = positive_amount(amount)
    day = business_date or timezone.localdate()
    payload = {"account": margin_account.pk, "amount": str(value)}
    with transaction.atomic():
        result, _ = run_once(
            scope="custody.withdrawal_request",
            key=idempotency_key,
            payload=payload,
            action=lambda: _request(margin_account, value, by, day),
            actor=by,
        )
    return Withdrawal.objects.get(pk=result["withdrawal_id"])


def _request(margin_account: MarginAccount, amount: Any, by: Any, day: date) -> dict[str, Any]:
    ensure_funds_may_leave(margin_account)
    if not margin_account.bank_account_index:
        raise InvalidInput(
            f"withdrawal refused: {margin_account.account_no} has no registered own bank account",
            field="margin_account",
        )
    cash_row = lock_client_cash(margin_account)
    ensure_cash_available(margin_account, cash_row.natural_balance, amount)
    ensure_ratio_allows(margin_account=margin_account, amount=amount, on=day)
    withdrawal = Withdrawal.objects.create(
        margin_account=margin_account,
        reference=new_reference("W"),
        amount=amount,
        currency=margin_account.currency,
        needs_second_approval=amount > rules.second_approval_above(day),
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    withdrawal.hold_entry = post_entry(
        key=f"withdrawal-hold-{withdrawal.pk}",
        kind=EntryKind.WITHDRAWAL_HOLD,
        business_date=day,
        legs=[
            debit(C.CLIENT_CASH, amount, margin_account),
            credit(C.WITHDRAWAL_HOLD, amount, margin_account),
        ],
        memo=f"withdrawal {withdrawal.reference} requested",
        margin_account=margin_account,
        created_by=by,
    )
    withdrawal.save(update_fields=["hold_entry"])
    return {"withdrawal_id": withdrawal.pk}


def _lock(withdrawal: Withdrawal) -> Withdrawal:
    return (
        Withdrawal.objects.select_for_update()
        .select_related("margin_account")
        .get(pk=withdrawal.pk)
    )


@transaction.atomic
def withdrawal_check(*, withdrawal: Withdrawal, by: Any, note: str = "") -> Withdrawal:
    """Operations re-run the rules on a request (someone other than the requester)."""
    _require(by, "custody.check_withdrawal", "check withdrawals")
    locked = _lock(withdrawal)
    ensure_different_people(requester=locked.requested_by, approver=by, what="this withdrawal")
    ensure_funds_may_leave(locked.margin_account)
    ensure_ratio_allows(margin_account=locked.margin_account, amount=ZERO, on=timezone.localdate())
    apply_transition(locked, "mark_checked", by=by, reason=note)
    locked.checked_by = by
    locked.save()
    return locked


@transaction.atomic
def withdrawal_approve(*, withdrawal: Withdrawal, by: Any, note: str = "") -> Withdrawal:
    """Approve; above the configured amount a second, different approver completes it."""
    _require(by, "custody.approve_withdrawal", "approve withdrawals")
    locked = _lock(withdrawal)
    if locked.status != W.CHECKED:
        raise IllegalTransition(
            f"withdrawal {locked.reference} is {locked.get_status_display()}; only checked "
            "withdrawals can be approved"
        )
    ensure_not_among(
        people=[locked.requested_by, locked.first_approver], approver=by, what="this withdrawal"
    )
    ensure_funds_may_leave(locked.margin_account)
    audit.record(
        action=AuditAction.APPROVAL,
        actor=by,
        obj=locked,
        details={"amount": str(locked.amount), "note": note},
    )
    if locked.needs_second_approval and locked.first_approver_id is None:
        locked.first_approver = by
        locked.save()
        return locked
    if locked.needs_second_approval:
        locked.second_approver = by
    else:
        locked.first_approver = by
    apply_transition(locked, "approve", by=by, reason=note)
    locked.save()
    return locked


@transaction.atomic
def withdrawal_reject(*, withdrawal: Withdrawal, by: Any, reason: str) -> Withdrawal:
    """Refuse before sending; the held cash goes back to the client."""
    _require(by, "custody.approve_withdrawal", "reject withdrawals")
    if not reason.strip():
        raise InvalidInput("say why the withdrawal is rejected", field="reason")
    locked = _lock(withdrawal)
    ensure_different_people(requester=locked.requested_by, approver=by, what="this withdrawal")
    apply_transition(locked, "reject", by=by, reason=reason.strip())
    if locked.hold_entry is not None:
        entry_reverse(
            entry=locked.hold_entry, reason=f"withdrawal {locked.reference} rejected", by=by
        )
    locked.outcome_note = reason.strip()
    locked.save()
    audit.record(
        action=AuditAction.REJECTION, actor=by, obj=locked, details={"reason": reason.strip()}
    )
    return locked


@transaction.atomic
def withdrawal_confirm(
    *, withdrawal: Withdrawal, amount: Any, by: Any = None, business_date: date | None = None
) -> Withdrawal:
    """The bank statement shows the payment: clear it from transit (safe to call twice)."""
    locked = _lock(withdrawal)
    if locked.status == W.CONFIRMED:
        return locked
    paid = positive_amount(amount)
    if paid != locked.amount:
        raise InvalidInput(
            f"withdrawal {locked.reference}: the bank paid {format_money(paid)} but "
            f"{format_money(locked.amount)} was instructed; resolve it as a reconciliation break",
            field="amount",
        )
    apply_transition(locked, "confirm", by=by, reason="seen on the bank statement")
    locked.confirm_entry = post_entry(
        key=f"withdrawal-confirm-{locked.pk}",
        kind=EntryKind.WITHDRAWAL_CONFIRMED,
        business_date=business_date or timezone.localdate(),
        legs=[debit(C.BANK_IN_TRANSIT, paid), credit(C.CUSTODIAN_BANK, paid)],
        memo=f"withdrawal {locked.reference} paid by the bank",
        margin_account=locked.margin_account,
        created_by=by,
    )
    locked.save()
    return locked


@transaction.atomic
def withdrawal_fail(*, withdrawal: Withdrawal, by: Any, reason: str) -> Withdrawal:
    """The bank returned the payment: reverse the send and the hold; the cash is back."""
    _require(by, "custody.send_withdrawal", "record failed withdrawals")
    if not reason.strip():
        raise InvalidInput("say why the payment failed", field="reason")
    locked = _lock(withdrawal)
    apply_transition(locked, "fail", by=by, reason=reason.strip())
    for entry in (locked.sent_entry, locked.hold_entry):
        if entry is not None:
            entry_reverse(entry=entry, reason=f"withdrawal {locked.reference} failed", by=by)
    locked.outcome_note = reason.strip()
    locked.save()
    return locked
