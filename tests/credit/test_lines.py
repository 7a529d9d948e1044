"""Credit line lifecycle: activation on signing, suspension, renewal, closing."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import StaffRole
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.models import AuditEvent
from credit.enums import ApplicationStatus, CreditLineStatus
from credit.models import CreditApplication, CreditLine
from credit.services import (
    credit_line_activate,
    credit_line_close,
    credit_line_renew,
    credit_line_resume,
    credit_line_suspend,
)

pytestmark = pytest.mark.django_db


def test_signing_the_contract_activates_the_line(approved_line, eligible_client, ops):
    line = approved_line(eligible_client)
    credit_line_activate(credit_line=line, by=ops, reason="contract C-1 signed")
    line.refresh_from_db()
    assert line.status == CreditLineStatus.ACTIVE
    assert line.activated_at == timezone.now()
    assert AuditEvent.objects.filter(action="transition", object_id=str(line.pk)).count() == 1
    with pytest.raises(IllegalTransition) as error:
        credit_line_activate(credit_line=line, by=ops, reason="signed twice")
    assert "cannot activate credit line" in str(error.value)
    assert "while it is Active; possible now: close, expire, suspend" in str(error.value)


def test_a_retried_activation_with_its_key_returns_the_first_result(
    approved_line, eligible_client, ops
):
    line = approved_line(eligible_client)
    first = credit_line_activate(credit_line=line, by=ops, reason="signed", idempotency_key="k1")
    again = credit_line_activate(credit_line=line, by=ops, reason="signed", idempotency_key="k1")
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(action="transition", object_id=str(line.pk)).count() == 1


def test_suspend_and_resume_need_a_reason(active_line, eligible_client, make_staff):
    line = active_line(eligible_client)
    compliance = make_staff(StaffRole.COMPLIANCE)
    with pytest.raises(InvalidInput, match="a reason is required"):
        credit_line_suspend(credit_line=line, by=compliance, reason="")
    line.refresh_from_db()
    assert line.status == CreditLineStatus.ACTIVE

    credit_line_suspend(credit_line=line, by=compliance, reason="court order")
    line.refresh_from_db()
    assert (line.status, line.status_note) == (CreditLineStatus.SUSPENDED, "court order")
    credit_line_resume(credit_line=line, by=compliance, reason="order lifted")
    line.refresh_from_db()
    assert line.status == CreditLineStatus.ACTIVE


def test_renewal_adds_at_most_one_rollover_term(active_line, eligible_client, approver):
    line = active_line(eligible_client)
    with pytest.raises(InvalidInput) as error:
        credit_line_renew(credit_line=line, by=approver, reason="client asked", months=7)
    assert str(error.value) == (
        "a renewal may add at most 6 months (margin-regulatory rollover_term_max_months); 7 asked"
    )
    line.refresh_from_db()
    assert (line.valid_to, line.renewals) == (date(2026, 9, 1), 0)

    credit_line_renew(credit_line=line, by=approver, reason="client asked")
    line.refresh_from_db()
    assert (line.valid_to, line.renewals) == (date(2027, 3, 1), 1)
    credit_line_renew(credit_line=line, by=approver, reason="again", months=3)
    line.refresh_from_db()
    assert (line.valid_to, line.renewals) == (date(2027, 6, 1), 2)


def test_only_live_contracted_lines_renew(approved_line, eligible_client, approver, ops):
    line = approved_line(eligible_client)
    with pytest.raises(IllegalTransition, match="is Pending contract; only an active or"):
        credit_line_renew(credit_line=line, by=approver, reason="early")
    with pytest.raises(PermissionRefused, match="may not renew credit lines"):
        credit_line_renew(credit_line=line, by=ops, reason="early")
    line.refresh_from_db()
    assert line.renewals == 0


def test_a_closed_line_stays_closed(active_line, eligible_client, approver):
    line = active_line(eligible_client)
    credit_line_close(credit_line=line, by=approver, reason="client repaid and left")
    line.refresh_from_db()
    assert line.status == CreditLineStatus.CLOSED
    with pytest.raises(IllegalTransition, match="while it is Closed"):
        credit_line_resume(credit_line=line, by=approver, reason="oops")


def test_the_database_refuses_a_zero_limit_and_two_live_lines(approved_line, eligible_client):
    line = approved_line(eligible_client)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditLine.objects.filter(pk=line.pk).update(limit=Decimal("0"))
    other = CreditApplication.objects.create(
        client=eligible_client,
        status=ApplicationStatus.APPROVED,
        requested_amount=Decimal("1"),
        financial_assets=Decimal("0"),
        annual_income=Decimal("0"),
        investing_experience_years=0,
        received_on=line.valid_from,
        requested_by=line.application.requested_by,
    )
    with pytest.raises(IntegrityError, match="one_live_credit_line_per_client|UNIQUE"):
        with transaction.atomic():
            CreditLine.objects.create(
                client=eligible_client,
                application=other,
                limit=Decimal("1"),
                valid_from=line.valid_from,
                valid_to=line.valid_to,
                approved_at=line.approved_at,
            )
    line.refresh_from_db()
    assert line.limit == Decimal("800000.00")
