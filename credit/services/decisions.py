"""Four-eyes decisions on credit applications; an approval creates the credit line.

The requester never decides. A limit above the policy's ``dual_approval_threshold`` needs two
approvals from two different people, neither of them the requester; the second approver confirms
the limit the first one granted (or rejects).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Client
from core import audit, params
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput, SegregationOfDutiesError
from core.fsm import apply_transition
from core.sod import ensure_different_people
from credit.dates import term_last_day
from credit.enums import OPEN_APPLICATION_STATUSES, ApplicationStatus, DecisionKind
from credit.keys import POLICY_SET
from credit.lock_objects import application_for_update, client_for_update
from credit.models import CreditApplication, CreditDecision, CreditLine
from credit.rules import regulatory_rules
from credit.services.common import amount, check_suitability, require_perm

DECIDE = "credit.decide_creditapplication"


def _what(application: CreditApplication) -> str:
    return f"credit application #{application.pk}"


def _ensure_not_decided_by(application: CreditApplication, approver: Any) -> None:
    earlier = application.decisions.filter(approver=approver).first()
    if earlier is not None:
        raise SegregationOfDutiesError(
            f"{approver} already decided {_what(application)} ({earlier.get_decision_display()}); "
            "a second decision must come from a different person"
        )


def _ceiling(application: CreditApplication) -> Decimal:
    evaluation = application.evaluations.order_by("-created_at", "-id").first()
    if evaluation is None:
        raise InvalidInput(f"{_what(application)} has no scorecard evaluation", field="limit")
    if evaluation.computed_limit <= 0:
        raise InvalidInput(
            f"the scorecard (grade {evaluation.grade}, score {evaluation.score}) gives no credit "
            f"to this client; {_what(application)} can only be rejected",
            field="limit",
        )
    return min(application.requested_amount, evaluation.computed_limit)


def _grant(application: CreditApplication, limit: Any, votes: list[CreditDecision]) -> Decimal:
    if votes:
        granted = votes[0].limit
        if granted is None:  # approvals always carry a limit; the database allows null
            raise IllegalTransition(f"the first approval of {_what(application)} has no limit")
        if limit is not None and amount(limit, field="limit") != granted:
            raise InvalidInput(
                f"the first approver granted {granted}; approve that limit or reject the "
                "application",
                field="limit",
            )
        return granted
    ceiling = _ceiling(application)
    if limit is None:
        return ceiling
    granted = amount(limit, field="limit")
    if granted > ceiling:
        raise InvalidInput(
            f"limit {granted} is above what may be granted: {ceiling}, the smaller of the "
            "amount requested and the scorecard limit",
            field="limit",
        )
    return granted


def _line_term(today: date, policy: Any) -> tuple[date, date]:
    # Never longer than the regulation in force, whatever the policy says.
    months = min(int(policy["line_term_months"]), regulatory_rules(today).contract_term_max_months)
    return today, term_last_day(today, months)


def _finalise(
    *,
    application: CreditApplication,
    client: Client,
    granted: Decimal,
    approver: Any,
    note: str,
    policy: Any,
) -> CreditLine:
    today = timezone.localdate()
    apply_transition(application, "approve", by=approver, reason=note or f"limit {granted}")
    application.approved_limit = granted
    application.decided_at = timezone.now()
    application.decision_note = note
    application.save()
    valid_from, valid_to = _line_term(today, policy)
    line = CreditLine.objects.create(
        client=client,
        application=application,
        limit=granted,
        currency=application.currency,
        valid_from=valid_from,
        valid_to=valid_to,
        approved_at=application.decided_at,
        status_note=f"approved by {approver}",
    )
    line.packages.set(application.packages.all())
    apply_transition(
        client, "approve_credit", by=approver, reason=f"credit line #{line.pk}: {granted}"
    )
    client.save()
    return line


def _lock_open(application: CreditApplication) -> tuple[Client, CreditApplication]:
    client = client_for_update(application.client_id)
    locked = application_for_update(application.pk)
    if locked.status not in OPEN_APPLICATION_STATUSES:
        raise IllegalTransition(
            f"{_what(locked)} is {locked.get_status_display()}; it can no longer be decided"
        )
    return client, locked


@transaction.atomic
def credit_application_approve(
    *, application: CreditApplication, approver: Any, limit: Any = None, note: str = ""
) -> CreditApplication:
    """Approve (one vote). The last vote needed approves it and creates the credit line.

    ``limit`` defaults to the smaller of the request and the scorecard limit; it may be lower,
    never higher. Suitability is checked again for every package.
    """
    require_perm(approver, DECIDE, "decide credit applications")
    client, locked = _lock_open(application)
    if locked.status != ApplicationStatus.UNDER_REVIEW:
        raise IllegalTransition(
            f"{_what(locked)} is {locked.get_status_display()}; run the scorecard review first"
        )
    ensure_different_people(requester=locked.requested_by, approver=approver, what=_what(locked))
    _ensure_not_decided_by(locked, approver)
    votes = list(locked.decisions.filter(decision=DecisionKind.APPROVE).order_by("id"))
    granted = _grant(locked, limit, votes)
    today = timezone.localdate()
    check_suitability(client, locked.packages.all(), today)
    policy = params.snapshot(POLICY_SET, today)
    needed = 2 if granted > policy["dual_approval_threshold"] else 1
    CreditDecision.objects.create(
        application=locked,
        approver=approver,
        decision=DecisionKind.APPROVE,
        limit=granted,
        note=note.strip(),
    )
    audit.record(
        action=AuditAction.APPROVAL,
        actor=approver,
        obj=locked,
        details={"limit": str(granted), "approval": len(votes) + 1, "of": needed},
    )
    if len(votes) + 1 >= needed:
        _finalise(
            application=locked,
            client=client,
            granted=granted,
            approver=approver,
            note=note.strip(),
            policy=policy,
        )
    return locked


@transaction.atomic
def credit_application_reject(
    *, application: CreditApplication, approver: Any, note: str
) -> CreditApplication:
    """Decline with a reason; any one approver (not the requester) may reject."""
    require_perm(approver, DECIDE, "decide credit applications")
    if not note.strip():
        raise InvalidInput("say why the application is rejected", field="note")
    _, locked = _lock_open(application)
    ensure_different_people(requester=locked.requested_by, approver=approver, what=_what(locked))
    _ensure_not_decided_by(locked, approver)
    CreditDecision.objects.create(
        application=locked, approver=approver, decision=DecisionKind.REJECT, note=note.strip()
    )
    apply_transition(locked, "reject", by=approver, reason=note.strip())
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save()
    audit.record(
        action=AuditAction.REJECTION, actor=approver, obj=locked, details={"note": note.strip()}
    )
    return locked
