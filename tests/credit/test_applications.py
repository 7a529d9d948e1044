"""Submitting a credit application: bad input, duplicates and suitability change nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.enums import ClientStatus, StaffRole
from accounts.models import SuitabilityWarning
from core.exceptions import IdempotencyConflict, InvalidInput
from credit.enums import ApplicationStatus
from credit.models import CreditApplication
from tests.credit.conftest import TODAY
from tests.credit.factories import EligibleClientFactory

pytestmark = pytest.mark.django_db


def test_an_eligible_client_applies_for_two_packages(submit, eligible_client, ops):
    application = submit(eligible_client, packages=["balanced", "conservative"])
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.requested_by == ops
    assert application.received_on == TODAY
    assert sorted(p.code for p in application.packages.all()) == ["balanced", "conservative"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "requested_amount must be more than zero, got 0.00"),
        (Decimal("-100"), "requested_amount must be more than zero, got -100.00"),
        (250000.0, "requested_amount: 250000.0 is not an amount"),
        ("lots", "requested_amount: 'lots' is not an amount"),
    ],
)
def test_limits_of_zero_or_less_are_refused(submit, eligible_client, amount, message):
    with pytest.raises(InvalidInput) as error:
        submit(eligible_client, requested_amount=amount)
    assert str(error.value) == message
    assert error.value.field == "requested_amount"
    assert not CreditApplication.objects.exists()


def test_negative_declared_figures_are_refused(submit, eligible_client):
    with pytest.raises(InvalidInput, match="financial_assets must not be negative, got -1.00"):
        submit(eligible_client, financial_assets=Decimal("-1"))
    with pytest.raises(InvalidInput, match="investing_experience_years must be a whole number"):
        submit(eligible_client, investing_experience_years=-2)
    assert not CreditApplication.objects.exists()


def test_a_future_receipt_date_is_refused(submit, eligible_client):
    with pytest.raises(InvalidInput, match="received_on 2026-03-03 is in the future"):
        submit(eligible_client, received_on=TODAY + timedelta(days=1))
    assert not CreditApplication.objects.exists()


def test_a_client_not_yet_eligible_cannot_apply(submit):
    client = EligibleClientFactory.create(status=ClientStatus.SUITABILITY_ASSESSED)
    with pytest.raises(InvalidInput) as error:
        submit(client)
    assert str(error.value) == (
        f"client {client} is Suitability assessed; only an eligible client (KYC, suitability "
        "and screening cleared) may apply for credit"
    )
    assert not CreditApplication.objects.exists()


def test_unknown_and_withdrawn_packages_are_refused(submit, eligible_client, credit_rules):
    with pytest.raises(InvalidInput, match="unknown leverage package: platinum"):
        submit(eligible_client, packages=["balanced", "platinum"])
    with pytest.raises(InvalidInput, match="choose at least one leverage package"):
        submit(eligible_client, packages=[])
    credit_rules["balanced"].active = False
    credit_rules["balanced"].save()
    with pytest.raises(InvalidInput, match="leverage package no longer offered: balanced"):
        submit(eligible_client)
    assert not CreditApplication.objects.exists()


def test_a_second_open_application_is_refused(submit, eligible_client):
    first = submit(eligible_client)
    with pytest.raises(InvalidInput) as error:
        submit(eligible_client, requested_amount=Decimal("500000"))
    assert str(error.value) == (
        f"client {eligible_client} already has an open credit application #{first.pk} "
        "(Submitted); it must be decided or expire before another is submitted"
    )
    assert list(CreditApplication.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_database_holds_one_open_application_per_client(submit, eligible_client, ops):
    first = submit(eligible_client)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditApplication.objects.create(
            client=eligible_client,
            requested_amount=Decimal("1"),
            financial_assets=Decimal("0"),
            annual_income=Decimal("0"),
            investing_experience_years=0,
            received_on=TODAY,
            requested_by=ops,
        )
    assert CreditApplication.objects.get().pk == first.pk


def test_the_database_refuses_a_request_of_zero(eligible_client, ops):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditApplication.objects.create(
            client=eligible_client,
            requested_amount=Decimal("0"),
            financial_assets=Decimal("0"),
            annual_income=Decimal("0"),
            investing_experience_years=0,
            received_on=TODAY,
            requested_by=ops,
        )


def test_a_package_above_the_clients_level_needs_a_recorded_warning(submit, make_staff):
    client = EligibleClientFactory.create(suitability_level="C3")
    with pytest.raises(InvalidInput) as error:
        submit(client, packages=["conservative", "balanced"])
    assert str(error.value) == (
        f"package balanced: client {client} is C3 and the product is R4: a recorded special "
        "warning that the client insists on the higher risk is required first"
    )
    assert error.value.field == "packages"
    assert not CreditApplication.objects.exists()

    SuitabilityWarning.objects.create(
        client=client,
        suitability_level="C3",
        product_risk_level="R4",
        warning_text="融资融券风险高于您的风险承受能力……",
        client_statement="本人坚持申请，已知悉风险。",
        acknowledged_on=TODAY,
        valid_until=TODAY.replace(year=2027),
        recorded_by=make_staff(StaffRole.COMPLIANCE),
    )
    application = submit(client, packages=["conservative", "balanced"])
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_lowest_category_may_never_take_a_margin_package(submit):
    client = EligibleClientFactory.create(suitability_level="C1")
    with pytest.raises(InvalidInput, match="package conservative: .* is C1 .lowest category."):
        submit(client, packages=["conservative"])
    assert not CreditApplication.objects.exists()


def test_a_retried_submission_returns_the_first(submit, eligible_client):
    first = submit(eligible_client, idempotency_key="portal-req-1")
    again = submit(eligible_client, idempotency_key="portal-req-1")
    assert again.pk == first.pk
    with pytest.raises(IdempotencyConflict, match="already used for a different request"):
        submit(eligible_client, idempotency_key="portal-req-1", requested_amount=Decimal("5"))
    assert CreditApplication.objects.count() == 1


def test_an_illegal_status_write_is_impossible(submit, eligible_client):
    application = submit(eligible_client)
    with pytest.raises(AttributeError):
        application.status = ApplicationStatus.APPROVED
