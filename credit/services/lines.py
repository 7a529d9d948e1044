"""Credit lines: activation on contract signing, suspension, renewal, expiry, closing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.enums import ClientStatus
from core import audit, params
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput
from core.fsm import apply_transition
from core.idempotency import run_once
from credit.dates import term_last_day
from credit.enums import LIVE_LINE_STATUSES, CreditLineStatus
from credit.keys import POLICY_SET, REGULATORY_SET
from credit.lock_objects import client_for_update, line_for_update
from credit.models import CreditLine
from credit.rules import regulatory_rules
from credit.services.common import require_perm


def _reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput("a reason is required for every change to a credit line", field="reason")
    return reason.strip()


def _ensure_not_past(line: CreditLine, today: date, what: str) -> None:
    if today > line.valid_to:
        raise InvalidInput(
            f"credit line #{line.pk} expired on {line.valid_to} and cannot be {what}; renew it "
            "before it lapses or submit a new application",
            field="credit_line",
        )


def _move(line: CreditLine, name: str, *, by: Any, reason: str) -> CreditLine:
    before = line.status
    apply_transition(line, name, by=by, reason=reason)
    line.status_note = reason
    if name == "activate":
        line.activated_at = timezone.now()
    line.save()
    audit.record(
        action=AuditAction.TRANSITION,
        actor=by,
        obj=line,
        details={"from": before, "to": line.status, "reason": reason},
    )
    return line


@transaction.atomic
def _activate(pk: int, by: Any, reason: str) -> CreditLine:
    line = line_for_update(pk)
    _ensure_not_past(line, timezone.localdate(), "activated")
    return _move(line, "activate", by=by, reason=reason)


def credit_line_activate(
    *, credit_line: CreditLine, by: Any, reason: str, idempotency_key: str | None = None
) -> CreditLine:
    """Pending contract → active. Called by the contracts stage when the bundle is signed.

    ``by`` may be the client's portal user or a staff member; with ``idempotency_key`` a retried
    call returns the first result instead of an error.
    """
    text = _reason(reason)
    if idempotency_key is None:
        return _activate(credit_line.pk, by, text)
    with transaction.atomic():
        result, _ = run_once(
            scope="credit.line.activate",
            key=idempotency_key,
            payload={"credit_line": credit_line.pk},
            actor=by,
            action=lambda: {"credit_line": _activate(credit_line.pk, by, text).pk},
        )
    return CreditLine.objects.get(pk=result["credit_line"])


@transaction.atomic
def credit_line_suspend(*, credit_line: CreditLine, by: Any, reason: str) -> CreditLine:
    """Active → suspended: no new drawing. Risk and compliance call this (``by`` may be None
    for an automatic hold)."""
    text = _reason(reason)
    return _move(line_for_update(credit_line.pk), "suspend", by=by, reason=text)


@transaction.atomic
def credit_line_resume(*, credit_line: CreditLine, by: Any, reason: str) -> CreditLine:
    text = _reason(reason)
    line = line_for_update(credit_line.pk)
    _ensure_not_past(line, timezone.localdate(), "resumed")
    return _move(line, "resume", by=by, reason=text)


def _lock_client_and_line(pk: int) -> CreditLine:
    """Client first, then the line: the order every credit service locks in."""
    client_for_update(CreditLine.objects.values_list("client_id", flat=True).get(pk=pk))
    return line_for_update(pk)


def _end(line: CreditLine, name: str, *, by: Any, reason: str) -> CreditLine:
    """Expire or close ``line`` (client and line locked); a line that never had a signed
    contract also takes back the client's credit approval, so the client is eligible again."""
    was_pending = line.status == CreditLineStatus.PENDING_CONTRACT
    _move(line, name, by=by, reason=reason)
    client = line.client
    if was_pending and client.status == ClientStatus.CREDIT_APPROVED:
        apply_transition(
            client,
            "withdraw_credit",
            by=by,
            reason=f"credit line #{line.pk} {line.status} before a contract was signed: {reason}",
        )
        client.save()
    return line


@transaction.atomic
def credit_line_close(*, credit_line: CreditLine, by: Any, reason: str) -> CreditLine:
    """End a live line early. A line still waiting for its contract returns the client to
    eligible; an unsigned contract offered for it can no longer be signed (contracts withdraws
    it in its daily job)."""
    text = _reason(reason)
    return _end(_lock_client_and_line(credit_line.pk), "close", by=by, reason=text)


def _renewal_months(months: int | None, today: date) -> int:
    policy_months = int(params.value(POLICY_SET, "line_renewal_months", today))
    rule = regulatory_rules(today).rollover_term_max_months
    allowed = min(policy_months, rule)
    chosen = allowed if months is None else months
    if isinstance(chosen, bool) or not isinstance(chosen, int) or chosen < 1:
        raise InvalidInput("months must be a whole number of at least 1", field="months")
    if chosen > allowed:
        source = (
            f"{REGULATORY_SET} rollover_term_max_months"
            if rule <= policy_months
            else f"{POLICY_SET} line_renewal_months"
        )
        raise InvalidInput(
            f"a renewal may add at most {allowed} months ({source}); {chosen} asked",
            field="months",
        )
    return chosen


@transaction.atomic
def credit_line_renew(
    *, credit_line: CreditLine, by: Any, reason: str, months: int | None = None
) -> CreditLine:
    """Extend an active or suspended line by at most one rollover term from its last day."""
    require_perm(by, "credit.renew_creditline", "renew credit lines")
    text = _reason(reason)
    line = line_for_update(credit_line.pk)
    today = timezone.localdate()
    _ensure_not_past(line, today, "renewed")
    if line.status not in (CreditLineStatus.ACTIVE, CreditLineStatus.SUSPENDED):
        raise IllegalTransition(
            f"credit line #{line.pk} is {line.get_status_display()}; only an active or "
            "suspended line can be renewed"
        )
    chosen = _renewal_months(months, today)
    before = line.valid_to
    line.valid_to = term_last_day(before + timedelta(days=1), chosen)
    # The row is locked, so the counter cannot be lost; save() keeps the history trail.
    line.renewals += 1
    line.status_note = text
    line.save()
    audit.record(
        action=AuditAction.APPROVAL,
        actor=by,
        obj=line,
        details={"renewal": line.renewals, "from": str(before), "to": str(line.valid_to)},
    )
    return line


@transaction.atomic
def _expire_line(pk: int, today: date) -> bool:
    line = _lock_client_and_line(pk)
    if line.status not in LIVE_LINE_STATUSES or line.valid_to >= today:
        return False
    _end(line, "expire", by=None, reason=f"last valid day {line.valid_to} passed")
    return True


def credit_lines_expire(*, today: date | None = None) -> list[int]:
    """Expire every live line whose last valid day is before ``today``; safe to run twice."""
    today = today or timezone.localdate()
    due = CreditLine.objects.filter(status__in=LIVE_LINE_STATUSES, valid_to__lt=today)
    return [pk for pk in due.order_by("pk").values_list("pk", flat=True) if _expire_line(pk, today)]
