"""Drawdowns and repayments asked for in the console, with maker-checker above a limit.

Up to ``custody-trading/financing_second_approval_above`` a request is executed at once (the
requester's own authority); above it, it waits for a different person with
``custody.approve_financingrequest``, and is executed when approved. A request the financing
service refuses at execution is kept as *failed* with the refusal as its outcome.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.enums import AuditAction
from core.exceptions import DomainError, IllegalTransition, InvalidInput
from core.idempotency import run_once
from core.sod import ensure_different_people
from custody import rules
from custody.enums import FinancingKind, FinancingRequestStatus
from custody.models import FinancingMovement, FinancingRequest, MarginAccount
from custody.services.financing import financing_draw, financing_repay
from custody.services.guards import positive_amount

R = FinancingRequestStatus


def _execute(request: FinancingRequest, by: Any) -> FinancingRequest:
    service = financing_draw if request.kind == FinancingKind.DRAW else financing_repay
    try:
        with transaction.atomic():
            movement: FinancingMovement = service(
                margin_account=request.margin_account,
                amount=request.amount,
                by=by,
                idempotency_key=f"request-{request.pk}",
            )
    except DomainError as refused:
        request.status = R.FAILED
        request.outcome = str(refused)
    else:
        request.status = R.EXECUTED
        request.movement = movement
        request.outcome = f"{movement} posted as entry #{movement.entry_id}"
    request.save()
    return request


def financing_request_submit(
    *,
    margin_account: MarginAccount,
    kind: str,
    amount: Any,
    by: Any,
    idempotency_key: str,
    note: str = "",
) -> FinancingRequest:
    """Record the request; execute it now when it is within the requester's own limit."""
    value = positive_amount(amount)
    if kind not in FinancingKind.values:
        raise InvalidInput(f"kind {kind!r} must be draw or repay", field="kind")
    needs_second = value > rules.financing_second_approval_above(timezone.localdate())
    payload = {"account": margin_account.pk, "kind": kind, "amount": str(value)}

    def create() -> dict[str, Any]:
        request = FinancingRequest.objects.create(
            margin_account=margin_account,
            kind=kind,
            amount=value,
            currency=margin_account.currency,
            needs_second_person=needs_second,
            requested_by=by,
            note=note,
            idempotency_key=idempotency_key,
        )
        if not needs_second:
            _execute(request, by)
        return {"request": request.pk}

    with transaction.atomic():
        result, _ = run_once(
            scope="custody.financing_request",
            key=idempotency_key,
            payload=payload,
            actor=by,
            action=create,
        )
    return FinancingRequest.objects.get(pk=result["request"])


@transaction.atomic
def financing_request_decide(
    *, request: FinancingRequest, by: Any, approve: bool, note: str
) -> FinancingRequest:
    """A second person approves (and so executes) or rejects a large request."""
    locked = FinancingRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != R.PENDING:
        raise IllegalTransition(
            f"financing request #{locked.pk} is {locked.get_status_display().lower()}; "
            "only a waiting request can be decided"
        )
    ensure_different_people(
        requester=locked.requested_by, approver=by, what=f"financing request #{locked.pk}"
    )
    if not approve and not note.strip():
        raise InvalidInput("say why the request is rejected", field="note")
    locked.decided_by = by
    locked.decided_at = timezone.now()
    audit.record(
        action=AuditAction.APPROVAL if approve else AuditAction.REJECTION,
        actor=by,
        obj=locked,
        details={"amount": str(locked.amount), "kind": locked.kind, "note": note.strip()},
    )
    if not approve:
        locked.status = R.REJECTED
        locked.outcome = note.strip()
        locked.save()
        return locked
    return _execute(locked, by)
