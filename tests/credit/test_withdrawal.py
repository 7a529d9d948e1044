"""A line that ends before any contract was signed takes back the client's credit approval."""

from datetime import date

import pytest
from django_fsm_log.models import StateLog

from accounts.enums import ClientStatus
from credit.enums import CreditLineStatus
from credit.services import credit_line_close, credit_lines_expire
from tests.credit.factories import EligibleClientFactory

pytestmark = pytest.mark.django_db


def states(line):
    line.refresh_from_db()
    line.client.refresh_from_db()
    return line.status, line.client.status


def test_a_pending_line_that_expires_returns_the_client_to_eligible(approved_line):
    line = approved_line(EligibleClientFactory.create())
    assert states(line) == (CreditLineStatus.PENDING_CONTRACT, ClientStatus.CREDIT_APPROVED)

    assert credit_lines_expire(today=date(2026, 9, 2)) == [line.pk]

    assert states(line) == (CreditLineStatus.EXPIRED, ClientStatus.ELIGIBLE)
    step = line.client.history.first()
    assert step.status == ClientStatus.ELIGIBLE
    assert credit_lines_expire(today=date(2026, 9, 2)) == []  # nothing more the second time


def test_closing_a_pending_line_returns_the_client_to_eligible(approved_line, approver):
    line = approved_line(EligibleClientFactory.create())

    credit_line_close(credit_line=line, by=approver, reason="the client declined the offer")

    assert states(line) == (CreditLineStatus.CLOSED, ClientStatus.ELIGIBLE)


def test_the_withdrawal_is_logged_with_who_and_why(approved_line, approver):
    line = approved_line(EligibleClientFactory.create())
    credit_line_close(credit_line=line, by=approver, reason="the client declined the offer")
    log = StateLog.objects.for_(line.client).get(transition="withdraw_credit")
    assert (log.state, log.by) == (ClientStatus.ELIGIBLE, approver)
    assert log.description == (
        f"credit line #{line.pk} closed before a contract was signed: the client declined the offer"
    )


def test_an_eligible_client_may_apply_again_after_the_withdrawal(approved_line, approver):
    client = EligibleClientFactory.create()
    first = approved_line(client)
    credit_line_close(credit_line=first, by=approver, reason="the client declined the offer")

    second = approved_line(client)

    assert states(second) == (CreditLineStatus.PENDING_CONTRACT, ClientStatus.CREDIT_APPROVED)


def test_a_line_that_was_in_force_leaves_the_client_alone(active_line, approver):
    # The credit stage alone activates the line here; the client's status is the contracts
    # stage's business and must not be moved back by the close.
    line = active_line(EligibleClientFactory.create())
    credit_line_close(credit_line=line, by=approver, reason="client repaid and left")
    assert states(line) == (CreditLineStatus.CLOSED, ClientStatus.CREDIT_APPROVED)
