"""Four eyes: the requester never decides; large limits need two different approvers."""

from datetime import date
from decimal import Decimal

import pytest
from django_fsm_log.models import StateLog

from accounts.enums import ClientStatus, StaffRole
from core.exceptions import (
    IllegalTransition,
    InvalidInput,
    PermissionRefused,
    SegregationOfDutiesError,
)
from core.models import AuditEvent
from credit.enums import ApplicationStatus, CreditLineStatus
from credit.models import CreditDecision, CreditLine
from credit.services import credit_application_approve, credit_application_reject
from tests.credit.factories import EligibleClientFactory

pytestmark = pytest.mark.django_db


def assert_nothing_decided(application, client_status=ClientStatus.ELIGIBLE, votes=0):
    application.refresh_from_db()
    application.client.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.client.status == client_status
    assert CreditDecision.objects.filter(application=application).count() == votes
    assert not CreditLine.objects.exists()


def test_the_requester_may_not_approve(reviewed, eligible_client, make_staff):
    # A risk officer who entered the application themselves.
    requester = make_staff(StaffRole.RISK_OFFICER)
    application = reviewed(eligible_client, requested_by=requester)
    with pytest.raises(SegregationOfDutiesError) as error:
        credit_application_approve(application=application, approver=requester)
    assert str(error.value) == (
        f"{requester} requested credit application #{application.pk} and so cannot approve it; "
        "another authorised colleague must decide"
    )
    assert_nothing_decided(application)


def test_operations_staff_may_not_decide(reviewed, eligible_client, make_staff):
    application = reviewed(eligible_client)
    clerk = make_staff(StaffRole.OPERATIONS)
    with pytest.raises(PermissionRefused, match="may not decide credit applications"):
        credit_application_approve(application=application, approver=clerk)
    assert_nothing_decided(application)


def test_one_approval_below_the_threshold_creates_a_line(reviewed, eligible_client, approver):
    application = reviewed(eligible_client, packages=["balanced", "conservative"])
    credit_application_approve(application=application, approver=approver, note="fine")

    application.refresh_from_db()
    eligible_client.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.approved_limit == Decimal("800000.00")
    assert eligible_client.status == ClientStatus.CREDIT_APPROVED
    line = CreditLine.objects.get()
    assert (line.client, line.application, line.limit) == (
        eligible_client,
        application,
        Decimal("800000.00"),
    )
    assert line.status == CreditLineStatus.PENDING_CONTRACT
    # Six months from the approval day, inclusive.
    assert (line.valid_from, line.valid_to) == (date(2026, 3, 2), date(2026, 9, 1))
    assert sorted(p.code for p in line.packages.all()) == ["balanced", "conservative"]
    assert AuditEvent.objects.filter(action="approval", object_id=str(application.pk)).exists()
    log = StateLog.objects.for_(eligible_client).get()
    assert (log.state, log.by) == (ClientStatus.CREDIT_APPROVED, approver)


def test_above_the_threshold_two_different_approvers_are_needed(
    reviewed, eligible_client, approver, second_approver, make_staff
):
    requester = make_staff(StaffRole.RISK_OFFICER)
    # Scorecard limit 1,750,000; the policy threshold is 1,000,000.
    application = reviewed(
        eligible_client, requested_amount=Decimal("1500000"), requested_by=requester
    )
    credit_application_approve(application=application, approver=approver)
    assert_nothing_decided(application, votes=1)

    with pytest.raises(SegregationOfDutiesError) as error:
        credit_application_approve(application=application, approver=approver)
    assert str(error.value) == (
        f"{approver} already decided credit application #{application.pk} (Approve); a second "
        "decision must come from a different person"
    )
    with pytest.raises(SegregationOfDutiesError, match="requested credit application"):
        credit_application_approve(application=application, approver=requester)
    assert_nothing_decided(application, votes=1)

    credit_application_approve(application=application, approver=second_approver)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert CreditLine.objects.get().limit == Decimal("1500000.00")
    assert set(application.decisions.values_list("approver", flat=True)) == {
        approver.pk,
        second_approver.pk,
    }


def test_the_second_approver_confirms_the_first_limit(
    reviewed, eligible_client, approver, second_approver
):
    application = reviewed(eligible_client, requested_amount=Decimal("1500000"))
    credit_application_approve(application=application, approver=approver, limit="1200000")
    with pytest.raises(InvalidInput) as error:
        credit_application_approve(
            application=application, approver=second_approver, limit="1500000"
        )
    assert str(error.value) == (
        "the first approver granted 1200000.00; approve that limit or reject the application"
    )
    assert_nothing_decided(application, votes=1)
    credit_application_approve(application=application, approver=second_approver)
    assert CreditLine.objects.get().limit == Decimal("1200000.00")


def test_a_lower_limit_below_the_threshold_needs_one_approver(reviewed, eligible_client, approver):
    application = reviewed(eligible_client, requested_amount=Decimal("1500000"))
    credit_application_approve(application=application, approver=approver, limit="900000")
    assert CreditLine.objects.get().limit == Decimal("900000.00")


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "limit must be more than zero, got 0.00"),
        ("-5", "limit must be more than zero, got -5.00"),
        (
            "900000",
            "limit 900000.00 is above what may be granted: 800000.00, the smaller of the amount "
            "requested and the scorecard limit",
        ),
    ],
)
def test_limits_outside_zero_and_the_ceiling_are_refused(
    reviewed, eligible_client, approver, limit, message
):
    application = reviewed(eligible_client)
    with pytest.raises(InvalidInput) as error:
        credit_application_approve(application=application, approver=approver, limit=limit)
    assert str(error.value) == message
    assert_nothing_decided(application)


def test_no_credit_for_a_grade_without_a_limit(reviewed, approver):
    client = EligibleClientFactory.create(risk_rating="high", tier="")
    application = reviewed(
        client,
        financial_assets=Decimal("100000"),
        annual_income=Decimal("50000"),
        investing_experience_years=0,
        past_margin_calls=4,
    )
    with pytest.raises(InvalidInput, match=r"gives no credit to this client; .* only be rejected"):
        credit_application_approve(application=application, approver=approver)
    assert_nothing_decided(application)


def test_a_submitted_application_must_be_reviewed_first(submit, eligible_client, approver):
    application = submit(eligible_client)
    with pytest.raises(IllegalTransition, match="is Submitted; run the scorecard review first"):
        credit_application_approve(application=application, approver=approver)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_suitability_is_checked_again_at_approval(reviewed, eligible_client, approver):
    application = reviewed(eligible_client, packages=["balanced"])
    eligible_client.suitability_level = "C3"  # reassessed lower since the submission
    eligible_client.save()
    with pytest.raises(InvalidInput, match="package balanced: .* is C3 and the product is R4"):
        credit_application_approve(application=application, approver=approver)
    assert_nothing_decided(application)


def test_rejection_needs_a_reason_and_another_person(reviewed, eligible_client, approver, ops):
    application = reviewed(eligible_client)
    with pytest.raises(InvalidInput, match="say why the application is rejected"):
        credit_application_reject(application=application, approver=approver, note=" ")
    assert_nothing_decided(application)

    credit_application_reject(application=application, approver=approver, note="income unproven")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decision_note == "income unproven"
    assert AuditEvent.objects.filter(action="rejection", object_id=str(application.pk)).exists()
    with pytest.raises(IllegalTransition, match="is Rejected; it can no longer be decided"):
        credit_application_approve(application=application, approver=approver)


def test_the_requester_may_not_reject_either(submit, eligible_client, make_staff):
    requester = make_staff(StaffRole.RISK_OFFICER)
    application = submit(eligible_client, requested_by=requester)
    with pytest.raises(SegregationOfDutiesError):
        credit_application_reject(application=application, approver=requester, note="withdraw")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_after_approval_the_client_may_not_apply_again(reviewed, submit, eligible_client, approver):
    credit_application_approve(application=reviewed(eligible_client), approver=approver)
    eligible_client.refresh_from_db()
    with pytest.raises(InvalidInput, match="is Credit approved; only an eligible client"):
        submit(eligible_client)
