"""Overrides: a risk officer asks, a different one decides; bad requests change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.enums import StaffRole
from core.exceptions import InvalidInput, PermissionRefused, SegregationOfDutiesError
from core.models import AuditEvent
from risk.margin import engine
from risk.margin.enums import CallEvent, CallStatus, OverrideKind, OverrideStatus
from risk.margin.models import MarginCall, MarginCallOverride, MarginNotification
from risk.margin.services.overrides import (
    margin_call_override_approve,
    margin_call_override_reject,
    margin_call_override_request,
)
from tests.risk.margin.conftest import quote

FRIDAY = date(2026, 3, 6)
SATURDAY = date(2026, 3, 7)


@pytest.fixture
def issued(account, a600) -> MarginCall:
    quote(a600, "3.50")
    engine.sweep(closing=True)
    call = MarginCall.objects.get()
    assert (call.status, call.due_on) == (CallStatus.ISSUED, date(2026, 3, 4))
    return call


def test_an_extension_needs_a_second_risk_officer(issued, risk_officer, second_risk_officer):
    override = margin_call_override_request(
        call=issued,
        kind=OverrideKind.EXTEND_DEADLINE,
        until=FRIDAY,
        reason="client's bank transfer confirmed, arriving Friday",
        actor=risk_officer,
    )

    with pytest.raises(SegregationOfDutiesError, match="cannot approve it"):
        margin_call_override_approve(override=override, actor=risk_officer)
    override.refresh_from_db()
    issued.refresh_from_db()
    assert (override.status, issued.due_on) == (OverrideStatus.PENDING, date(2026, 3, 4))

    margin_call_override_approve(override=override, actor=second_risk_officer, note="seen it")

    override.refresh_from_db()
    issued.refresh_from_db()
    assert override.status == OverrideStatus.APPROVED
    assert override.decided_by == second_risk_officer
    assert issued.due_on == FRIDAY
    assert AuditEvent.objects.filter(action="override", object_id=str(issued.pk)).exists()
    assert MarginNotification.objects.filter(event=CallEvent.DEADLINE_EXTENDED).exists()

    engine.sweep(on=date(2026, 3, 5))  # after the old deadline, before the new one
    issued.refresh_from_db()
    assert issued.status == CallStatus.ISSUED


def test_a_hold_keeps_liquidation_off_until_its_last_day(
    issued, a600, risk_officer, second_risk_officer, liquidation_started
):
    override = margin_call_override_request(
        call=issued,
        kind=OverrideKind.HOLD_LIQUIDATION,
        until=date(2026, 3, 5),
        reason="court-ordered freeze being lifted",
        actor=risk_officer,
    )
    margin_call_override_approve(override=override, actor=second_risk_officer)

    engine.sweep(on=date(2026, 3, 5))
    assert MarginCall.objects.get().status == CallStatus.ISSUED
    engine.sweep(on=date(2026, 3, 6))
    assert MarginCall.objects.get().status == CallStatus.LIQUIDATING
    assert len(liquidation_started) == 1


def test_a_rejection_needs_a_note_and_a_different_person(issued, risk_officer, second_risk_officer):
    override = margin_call_override_request(
        call=issued,
        kind=OverrideKind.EXTEND_DEADLINE,
        until=FRIDAY,
        reason="asked by the client",
        actor=risk_officer,
    )
    with pytest.raises(InvalidInput, match="say why"):
        margin_call_override_reject(override=override, actor=second_risk_officer, note=" ")
    margin_call_override_reject(override=override, actor=second_risk_officer, note="no evidence")
    override.refresh_from_db()
    issued.refresh_from_db()
    assert override.status == OverrideStatus.REJECTED
    assert issued.due_on == date(2026, 3, 4)


@pytest.mark.parametrize(
    ("kind", "until", "reason", "message"),
    [
        (OverrideKind.EXTEND_DEADLINE, FRIDAY, "  ", "needs a reason"),
        (OverrideKind.EXTEND_DEADLINE, SATURDAY, "why", "not a trading day"),
        (OverrideKind.EXTEND_DEADLINE, date(2026, 3, 4), "why", "must be after the current one"),
        (OverrideKind.EXTEND_DEADLINE, date(2026, 2, 27), "why", "in the past"),
        ("forgive", FRIDAY, "why", "unknown override kind"),
    ],
)
def test_bad_requests_change_nothing(issued, risk_officer, kind, until, reason, message):
    with pytest.raises(InvalidInput, match=message):
        margin_call_override_request(
            call=issued, kind=kind, until=until, reason=reason, actor=risk_officer
        )
    assert not MarginCallOverride.objects.exists()
    issued.refresh_from_db()
    assert issued.due_on == date(2026, 3, 4)


def test_operations_staff_cannot_request_an_override(issued, make_staff):
    with pytest.raises(PermissionRefused):
        margin_call_override_request(
            call=issued,
            kind=OverrideKind.EXTEND_DEADLINE,
            until=FRIDAY,
            reason="please",
            actor=make_staff(StaffRole.OPERATIONS),
        )
    assert not MarginCallOverride.objects.exists()


def test_a_warning_has_no_deadline_to_extend(account, a600, risk_officer):
    quote(a600, "3.50")
    engine.sweep()
    call = MarginCall.objects.get()
    with pytest.raises(InvalidInput, match="only an issued call has a deadline"):
        margin_call_override_request(
            call=call,
            kind=OverrideKind.EXTEND_DEADLINE,
            until=FRIDAY,
            reason="why",
            actor=risk_officer,
        )
    assert not MarginCallOverride.objects.exists()
