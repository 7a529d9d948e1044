"""Stale applications and lapsed lines expire; expired lines are refused everywhere."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.exceptions import IllegalTransition, InvalidInput
from core.models import ParameterSet
from core.params.services import parameter_change_approve, parameter_change_propose
from credit import defaults
from credit.capacity import capacity_for
from credit.enums import ApplicationStatus, CreditLineStatus
from credit.services import (
    credit_applications_expire,
    credit_line_activate,
    credit_line_renew,
    credit_lines_expire,
)
from credit.tasks import expire_lines_task, expire_stale_applications_task
from markets import calendar
from tests.credit.conftest import TODAY
from tests.credit.factories import EligibleClientFactory

pytestmark = pytest.mark.django_db


def test_open_applications_expire_after_30_calendar_days(submit, reviewed):
    fresh = submit(EligibleClientFactory.create(), received_on=date(2026, 1, 31))
    stale = reviewed(EligibleClientFactory.create(), received_on=date(2026, 1, 30))
    decided_later = submit(EligibleClientFactory.create(), received_on=date(2026, 1, 1))

    assert credit_applications_expire() == [stale.pk, decided_later.pk]

    for application in (fresh, stale, decided_later):
        application.refresh_from_db()
    statuses = {a.pk: a.status for a in (fresh, stale, decided_later)}
    assert statuses == {
        fresh.pk: ApplicationStatus.SUBMITTED,
        stale.pk: ApplicationStatus.EXPIRED,
        decided_later.pk: ApplicationStatus.EXPIRED,
    }
    assert credit_applications_expire() == []  # safe to run twice


def test_an_expired_application_frees_the_client_to_apply_again(submit, eligible_client):
    submit(eligible_client, received_on=date(2026, 1, 1))
    expire_stale_applications_task.delay()
    again = submit(eligible_client)
    assert again.status == ApplicationStatus.SUBMITTED


def test_expiry_counted_in_trading_days(submit, risk_officer, second_risk_officer):
    tomorrow = TODAY + timedelta(days=1)
    version = parameter_change_propose(
        parameter_set=ParameterSet.objects.get(key="credit-policy"),
        effective_from=tomorrow,
        values={
            **defaults.POLICY,
            "application_expiry_days": 5,
            "application_expiry_basis": "trading",
        },
        maker=risk_officer,
        reason="count trading days",
    )
    parameter_change_approve(version=version, checker=second_risk_officer)
    received = date(2026, 2, 24)
    application = submit(EligibleClientFactory.create(), received_on=received)
    deadline = calendar.add_trading_days(received, 5)
    assert deadline == date(2026, 3, 3)  # 25, 26, 27 Feb, 2 and 3 Mar

    assert credit_applications_expire(today=deadline) == []
    assert credit_applications_expire(today=deadline + timedelta(days=1)) == [application.pk]


def test_lines_expire_after_their_last_day(
    active_line, approved_line, eligible_client, frozen_today
):
    line = active_line(eligible_client)
    pending = approved_line(EligibleClientFactory.create())
    assert line.valid_to == date(2026, 9, 1)

    assert credit_lines_expire(today=date(2026, 9, 1)) == []
    frozen_today.move_to(date(2026, 9, 2))
    assert expire_lines_task.delay().get() == {"expired": [line.pk, pending.pk]}
    line.refresh_from_db()
    pending.refresh_from_db()
    assert (line.status, pending.status) == (CreditLineStatus.EXPIRED, CreditLineStatus.EXPIRED)
    assert expire_lines_task.delay().get() == {"expired": []}


def test_an_expired_line_cannot_be_used_activated_or_renewed(
    approved_line, active_line, eligible_client, frozen_today, risk_officer
):
    pending = approved_line(EligibleClientFactory.create())
    line = active_line(eligible_client)
    frozen_today.move_to(date(2026, 9, 2))

    # Before the nightly job runs, the date alone already stops use.
    capacity = capacity_for(client=eligible_client, at=date(2026, 9, 2))
    assert (capacity.usable, capacity.reason) == (False, "credit line expired on 2026-09-01")
    assert capacity.available == Decimal("0.00")

    with pytest.raises(InvalidInput) as error:
        credit_line_activate(credit_line=pending, by=risk_officer, reason="signed late")
    assert str(error.value) == (
        f"credit line #{pending.pk} expired on 2026-09-01 and cannot be activated; renew it "
        "before it lapses or submit a new application"
    )
    with pytest.raises(InvalidInput, match="expired on 2026-09-01 and cannot be renewed"):
        credit_line_renew(credit_line=line, by=risk_officer, reason="late renewal")

    assert credit_lines_expire() == [pending.pk, line.pk]
    line.refresh_from_db()
    pending.refresh_from_db()
    assert (line.status, pending.status) == (CreditLineStatus.EXPIRED, CreditLineStatus.EXPIRED)
    assert line.valid_to == date(2026, 9, 1) and line.renewals == 0
    frozen_today.move_to(date(2026, 8, 31))  # even inside the dates, an expired line stays so
    with pytest.raises(IllegalTransition, match="while it is Expired"):
        credit_line_activate(credit_line=pending, by=risk_officer, reason="again")
