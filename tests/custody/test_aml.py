"""Fund-flow monitoring: each rule, case lifecycle, due dates, the large-value report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounts.enums import ClientKind
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.models import AuditEvent
from custody.enums import AmlCaseStatus, AmlRule, Channel, MovementDirection
from custody.models import AmlCase, FundMovement
from custody.services.aml import (
    aml_case_dismiss,
    aml_case_investigate,
    aml_case_report,
    aml_daily_scan,
    large_value_report,
)
from markets.calendar import add_trading_days

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 6)  # a Friday


def move(
    account,
    amount,
    *,
    day=DAY,
    direction=MovementDirection.IN,
    channel=Channel.BANK_TRANSFER,
    own=True,
    cross_border=False,
):
    return FundMovement.objects.create(
        margin_account=account,
        direction=direction,
        channel=channel,
        amount=Decimal(amount),
        currency="CNY",
        business_date=day,
        own_account=own,
        cross_border=cross_border,
    )


def rules_hit(account):
    return sorted(AmlCase.objects.filter(margin_account=account).values_list("rule", flat=True))


def test_cash_is_cumulative_over_the_day(account):
    move(account, "30000.00", channel=Channel.CASH)
    move(account, "19999.99", channel=Channel.CASH)
    assert aml_daily_scan(day=DAY) == []
    move(account, "0.01", channel=Channel.CASH)
    [case] = aml_daily_scan(day=DAY)
    assert case.rule == AmlRule.LARGE_CASH
    assert case.amount == Decimal("50000.00")
    assert case.due_on == add_trading_days(DAY, 5) == date(2026, 3, 13)


@pytest.mark.parametrize(
    ("kind", "cross_border", "below", "at"),
    [
        (ClientKind.PERSON, False, "499999.99", "500000.00"),
        (ClientKind.PERSON, True, "199999.99", "200000.00"),
        (ClientKind.INSTITUTION, False, "1999999.99", "2000000.00"),
    ],
)
def test_large_transfer_thresholds_by_kind_and_border(make_account, kind, cross_border, below, at):
    quiet, loud = make_account(kind=kind), make_account(kind=kind)
    move(quiet, below, cross_border=cross_border)
    move(loud, at, cross_border=cross_border)
    aml_daily_scan(day=DAY)
    assert rules_hit(quiet) == []
    assert rules_hit(loud) == [AmlRule.LARGE_TRANSFER]


def test_structuring_just_below_a_threshold(account):
    for day in (date(2026, 3, 2), date(2026, 3, 4)):
        move(account, "46000.00", day=day, channel=Channel.CASH)
    aml_daily_scan(day=date(2026, 3, 4))
    assert rules_hit(account) == []
    move(account, "49000.00", channel=Channel.CASH)  # the third within 10 days, within 10% below
    aml_daily_scan(day=DAY)
    assert rules_hit(account) == [AmlRule.STRUCTURING]


def test_rapid_in_and_out(account):
    move(account, "100000.00", day=date(2026, 3, 5))
    move(account, "79999.00", direction=MovementDirection.OUT)
    aml_daily_scan(day=DAY)
    assert rules_hit(account) == []
    move(account, "1.00", direction=MovementDirection.OUT)
    aml_daily_scan(day=DAY)
    assert rules_hit(account) == [AmlRule.RAPID_IN_OUT]


def test_third_party_money_and_scanning_twice_opens_nothing_new(account):
    move(account, "10.00", own=False)
    aml_daily_scan(day=DAY)
    aml_daily_scan(day=DAY)
    assert rules_hit(account) == [AmlRule.THIRD_PARTY]


def test_case_lifecycle_needs_reasons_and_compliance(account, compliance, ops):
    move(account, "10.00", own=False)
    [case] = aml_daily_scan(day=DAY)
    with pytest.raises(PermissionRefused):
        aml_case_investigate(case=case, by=ops)
    with pytest.raises(IllegalTransition, match="cannot report AML case"):
        aml_case_report(case=case, by=compliance, reason="skip")
    case = aml_case_investigate(case=case, by=compliance)
    with pytest.raises(InvalidInput, match="a reason is required"):
        aml_case_dismiss(case=case, by=compliance, reason="")
    case = aml_case_dismiss(case=case, by=compliance, reason="client's spouse, documented")
    assert (case.status, case.decided_by) == (AmlCaseStatus.DISMISSED, compliance)


def test_large_value_report_lists_the_day_and_is_audited(make_account, compliance):
    person = make_account()
    move(person, "600000.00")
    move(person, "60000.00", channel=Channel.CASH)
    move(make_account(), "100.00")
    name, text = large_value_report(day=DAY, by=compliance)
    lines = text.splitlines()
    assert name == "large-value-2026-03-06.csv"
    assert len(lines) == 3
    assert lines[1].split(",")[4:9] == ["transfer", "in", "bank_transfer", "no", "600000.00"]
    assert lines[2].split(",")[4:9] == ["cash", "in", "cash", "no", "60000.00"]
    assert AuditEvent.objects.filter(action="export", details__day="2026-03-06").exists()
