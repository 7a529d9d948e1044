"""Margin-call overrides: extend an issued call's deadline, or hold liquidation until a day.

One risk officer requests with a reason; a different one approves or rejects with a note.
Every step is audit-recorded; an approved override changes the call at once and the client
(and partner) are told.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.enums import AuditAction, AuditOutcome
from core.exceptions import InvalidInput, PermissionRefused
from core.fsm import apply_transition
from core.sod import ensure_different_people
from markets.calendar import is_trading_day
from risk.margin.enums import CallEvent, CallStatus, OverrideKind, OverrideStatus
from risk.margin.models import MarginCall, MarginCallOverride
from risk.margin.services.notifications import notify

REQUEST_PERM = "risk.request_override"
APPROVE_PERM = "risk.approve_override"


def _require(actor: Any, perm: str, what: str) -> None:
    if actor is None or not actor.has_perm(perm):
        audit.record(
            action=AuditAction.PERMISSION_DENIED,
            actor=actor,
            outcome=AuditOutcome.DENIED,
            details={"needed": perm, "what": what},
        )
        raise PermissionRefused(f"{actor} may not {what}: a risk officer's permission is needed")


def _validate(call: MarginCall, kind: str, until: date, reason: str, today: date) -> None:
    if not reason.strip():
        raise InvalidInput("an override needs a reason", field="reason")
    if kind not in OverrideKind.values:
        raise InvalidInput(f"unknown override kind {kind!r}", field="kind")
    if until < today:
        raise InvalidInput(f"{until} is in the past", field="until")
    if not is_trading_day(until):
        raise InvalidInput(f"{until} is not a trading day (XSHG)", field="until")
    if kind == OverrideKind.EXTEND_DEADLINE:
        if call.status != CallStatus.ISSUED or call.due_on is None:
            raise InvalidInput(
                f"only an issued call has a deadline to extend; call #{call.pk} is "
                f"{call.get_status_display().lower()}",
                field="kind",
            )
        if until <= call.due_on:
            raise InvalidInput(
                f"the new deadline {until} must be after the current one {call.due_on}",
                field="until",
            )
    elif call.status not in (CallStatus.WARNING, CallStatus.ISSUED):
        raise InvalidInput(
            f"liquidation can only be held before it starts; call #{call.pk} is "
            f"{call.get_status_display().lower()}",
            field="kind",
        )


@transaction.atomic
def margin_call_override_request(
    *, call: MarginCall, kind: str, until: date, reason: str, actor: Any
) -> MarginCallOverride:
    _require(actor, REQUEST_PERM, "request a margin-call override")
    locked = MarginCall.objects.select_for_update().get(pk=call.pk)
    _validate(locked, kind, until, reason, timezone.localdate())
    if locked.overrides.filter(status=OverrideStatus.PENDING).exists():
        raise InvalidInput(
            f"call #{locked.pk} already has an override waiting for approval", field="kind"
        )
    override = MarginCallOverride.objects.create(
        call=locked, kind=kind, until=until, reason=reason.strip(), requested_by=actor
    )
    audit.record(
        action=AuditAction.PROPOSAL,
        actor=actor,
        obj=override,
        details={"call": locked.pk, "kind": kind, "until": until.isoformat(), "reason": reason},
    )
    return override


def _apply(override: MarginCallOverride, call: MarginCall) -> str:
    if override.kind == OverrideKind.EXTEND_DEADLINE:
        call.due_on = override.until
        call.save(update_fields=["due_on"])
        return CallEvent.DEADLINE_EXTENDED
    call.liquidation_held_until = override.until
    call.save(update_fields=["liquidation_held_until"])
    return CallEvent.LIQUIDATION_HELD


@transaction.atomic
def margin_call_override_approve(
    *, override: MarginCallOverride, actor: Any, note: str = ""
) -> MarginCallOverride:
    _require(actor, APPROVE_PERM, "approve a margin-call override")
    locked = MarginCallOverride.objects.select_for_update().get(pk=override.pk)
    ensure_different_people(
        requester=locked.requested_by, approver=actor, what="this margin-call override"
    )
    call = MarginCall.objects.select_for_update().get(pk=locked.call_id)
    # The call may have moved since the request (cured, liquidating): check again.
    _validate(call, locked.kind, locked.until, locked.reason, timezone.localdate())
    apply_transition(locked, "approve", by=actor, reason=note or locked.reason)
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save()
    event = _apply(locked, call)
    audit.record(
        action=AuditAction.OVERRIDE,
        actor=actor,
        obj=call,
        details={
            "override": locked.pk,
            "kind": locked.kind,
            "until": locked.until.isoformat(),
            "requested_by": str(locked.requested_by),
            "reason": locked.reason,
            "note": note,
        },
    )
    notify(call, event, ratio=call.last_ratio, reason=locked.reason)
    return locked


@transaction.atomic
def margin_call_override_reject(
    *, override: MarginCallOverride, actor: Any, note: str
) -> MarginCallOverride:
    _require(actor, APPROVE_PERM, "reject a margin-call override")
    if not note.strip():
        raise InvalidInput("say why the override is rejected", field="note")
    locked = MarginCallOverride.objects.select_for_update().get(pk=override.pk)
    ensure_different_people(
        requester=locked.requested_by, approver=actor, what="this margin-call override"
    )
    apply_transition(locked, "reject", by=actor, reason=note)
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save()
    audit.record(
        action=AuditAction.REJECTION,
        actor=actor,
        obj=locked,
        details={"call": locked.call_id, "note": note},
    )
    return locked
