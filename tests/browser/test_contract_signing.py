"""A client signs their credit line's contract in a real browser: sign in with password and
TOTP, open the issued contract, ask for a code, enter it, and see the contract signed."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import ClientStatus, Sex, StaffRole
from accounts.services import totp_current_code, totp_enrol
from contracts.enums import ContractStatus
from contracts.models import Contract
from contracts.services import contract_for_credit_line
from credit.enums import CreditLineStatus
from credit.models import CreditLine
from credit.services import (
    credit_application_approve,
    credit_application_review,
    credit_application_submit,
    credit_defaults_install,
)
from tests.contracts.conftest import make_kyc_client
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")


@pytest.fixture
def issued(settings, tmp_path, make_staff, risk_officer, second_risk_officer) -> Contract:
    """The lifecycle up to the offer: an eligible client, an approved line, the issued bundle."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    ops = make_staff(StaffRole.OPERATIONS)
    credit_defaults_install(
        maker=risk_officer,
        checker=second_risk_officer,
        effective_from=timezone.localdate(),
        reason="starting rules for the test",
    )
    client = make_kyc_client(ops, name="王芳", sex=Sex.FEMALE, language="en")
    application = credit_application_submit(
        client=client,
        requested_amount="800000.00",
        packages=["balanced"],
        requested_by=ops,
        financial_assets="2500000.00",
        annual_income="400000.00",
        investing_experience_years=5,
    )
    credit_application_review(application=application, by=ops)
    credit_application_approve(application=application, approver=risk_officer)
    line = CreditLine.objects.get(application=application)
    return contract_for_credit_line(
        credit_line=line, package="balanced", by=ops, idempotency_key="browser"
    )


def test_the_client_signs_the_issued_contract_in_the_portal(live_server, page, issued):
    user = issued.client.user
    totp_enrol(user=user)

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.fill("input[name=otp_token]", totp_current_code(user=user))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("text=Your contracts")
    page.click(f"text={issued.contract_no}")
    page.wait_for_url(f"{live_server.url}/contracts/{issued.contract_no}/")
    assert page.locator(".badge").first.inner_text() == "Issued, awaiting signature"

    page.click("button:has-text('Send me a code')")
    page.wait_for_selector("text=A six-digit code was sent to")
    (message,) = mail.outbox
    code = SIX_DIGITS.search(str(message.body))
    assert code is not None and message.to == [user.email]

    page.check("input[name=risk_acknowledged]")
    page.fill("input[name=code]", code.group(0))
    page.click("button:has-text('Sign the contract')")

    page.wait_for_selector(f"text=Contract {issued.contract_no} is signed.")
    assert page.locator(".badge").first.inner_text() == "Active"
    issued.refresh_from_db()
    line = CreditLine.objects.get(pk=int(issued.subject_ref))
    issued.client.refresh_from_db()
    assert (issued.status, line.status, issued.client.status) == (
        ContractStatus.ACTIVE,
        CreditLineStatus.ACTIVE,
        ClientStatus.ACTIVE,
    )
