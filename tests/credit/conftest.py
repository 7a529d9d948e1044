"""Credit fixtures: a frozen business day, staff, the default rules installed by two people."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.enums import StaffRole
from credit.models import CreditApplication, CreditLine, LeveragePackage
from credit.services import (
    credit_application_approve,
    credit_application_review,
    credit_application_submit,
    credit_defaults_install,
    credit_line_activate,
)
from tests.credit.factories import EligibleClientFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 2)  # a Monday, after the 100% financing margin ratio took effect


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[Any]:
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def ops(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def approver(make_staff):
    return make_staff(StaffRole.RISK_OFFICER)


@pytest.fixture
def second_approver(make_staff):
    return make_staff(StaffRole.RISK_OFFICER)


@pytest.fixture
def credit_rules(risk_officer, second_risk_officer) -> dict[str, LeveragePackage]:
    credit_defaults_install(
        maker=risk_officer,
        checker=second_risk_officer,
        effective_from=TODAY,
        reason="starting rules for the test",
    )
    return {p.code: p for p in LeveragePackage.objects.all()}


@pytest.fixture
def eligible_client(db):
    return EligibleClientFactory.create()


@pytest.fixture
def submit(ops, credit_rules):
    def make(client: Any, **overrides: Any) -> CreditApplication:
        data: dict[str, Any] = {
            "client": client,
            "requested_amount": Decimal("800000.00"),
            "packages": ["balanced"],
            "requested_by": ops,
            "financial_assets": Decimal("2500000.00"),
            "annual_income": Decimal("400000.00"),
            "investing_experience_years": 3,
            "past_margin_calls": 0,
        }
        data.update(overrides)
        return credit_application_submit(**data)

    return make


@pytest.fixture
def reviewed(submit, ops):
    def make(client: Any, **overrides: Any) -> CreditApplication:
        application = submit(client, **overrides)
        credit_application_review(application=application, by=ops)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def approved_line(reviewed, approver):
    def make(client: Any, **overrides: Any) -> CreditLine:
        application = reviewed(client, **overrides)
        credit_application_approve(application=application, approver=approver)
        return CreditLine.objects.get(application=application)

    return make


@pytest.fixture
def active_line(approved_line, ops):
    def make(client: Any, **overrides: Any) -> CreditLine:
        line = approved_line(client, **overrides)
        return credit_line_activate(credit_line=line, by=ops, reason="contract signed")

    return make
