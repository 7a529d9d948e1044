"""Interest accrual against hand-computed figures: weekends, rate changes, both day counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from custody.models import JournalEntry
from settlement.accrual import accrual_days, split_vat
from settlement.services import clearing_run
from tests.settlement.conftest import FRIDAY, MONDAY, SATURDAY, evening

pytestmark = pytest.mark.django_db


def interest_legs(account_id: int, day: date) -> dict[str, Decimal]:
    entry = JournalEntry.objects.get(idempotency_key=f"interest:{day}:{account_id}")
    return {
        p.ledger_account.account_type_id: p.amount
        for p in entry.postings.select_related("ledger_account")
    }


def test_a_friday_accrues_friday_saturday_and_sunday():
    assert accrual_days(FRIDAY) == [FRIDAY, date(2026, 3, 7), date(2026, 3, 8)]
    assert accrual_days(MONDAY) == [MONDAY]


def test_the_last_day_before_a_holiday_accrues_the_holiday():
    # 2026-02-13 (Fri) is the last session before the Spring Festival closure; next is 02-24.
    days = accrual_days(date(2026, 2, 13))
    assert days[0] == date(2026, 2, 13)
    assert days[-1] == date(2026, 2, 23)
    assert len(days) == 11


def test_vat_is_split_out_of_the_inclusive_charge():
    assert split_vat(Decimal("558.90"), Decimal("0.06")) == (Decimal("527.26"), Decimal("31.64"))
    assert split_vat(Decimal("100.00"), Decimal("0")) == (Decimal("100.00"), Decimal("0.00"))


def test_act365_over_a_weekend_with_a_rate_change_on_saturday(
    define_package, change_rate, borrower, clock
):
    # Given 1,000,000 financed at 6.00% ACT/365, the rate rising to 7.20% from Saturday
    package = define_package("p365", "0.0600", "ACT/365")
    change_rate("p365", "0.0720", SATURDAY)
    account = borrower(package)
    # When Friday is cleared
    clock.move_to(evening(FRIDAY))
    clearing_run(business_date=FRIDAY)
    # Then 1,000,000 × (0.06 + 2 × 0.072) / 365 = 558.904… → 558.90, VAT 6% inside it
    legs = interest_legs(account.pk, FRIDAY)
    assert legs == {
        "interest_receivable": Decimal("558.90"),
        "interest_income": Decimal("-527.26"),
        "vat_payable": Decimal("-31.64"),
    }
    # And Monday accrues Monday alone at the new rate: 1,000,000 × 0.072 / 365 = 197.26
    clock.move_to(evening(MONDAY))
    clearing_run(business_date=MONDAY)
    assert interest_legs(account.pk, MONDAY)["interest_receivable"] == Decimal("197.26")


def test_act360_over_a_weekend_with_a_rate_change_on_saturday(
    define_package, change_rate, borrower, clock
):
    package = define_package("p360", "0.0600", "ACT/360")
    change_rate("p360", "0.0720", SATURDAY)
    account = borrower(package)
    clock.move_to(evening(FRIDAY))
    clearing_run(business_date=FRIDAY)
    # 1,000,000 × (0.06 + 2 × 0.072) / 360 = 566.666… → 566.67; VAT 566.67 × 6/106 = 32.08
    assert interest_legs(account.pk, FRIDAY) == {
        "interest_receivable": Decimal("566.67"),
        "interest_income": Decimal("-534.59"),
        "vat_payable": Decimal("-32.08"),
    }
    clock.move_to(evening(MONDAY))
    clearing_run(business_date=MONDAY)
    assert interest_legs(account.pk, MONDAY)["interest_receivable"] == Decimal("200.00")


def test_debt_past_the_lines_end_also_pays_penalty_interest(define_package, borrower, clock):
    # Given a line whose last valid day is Friday, and a penalty of 0.05% a day
    package = define_package("late", "0.0600", "ACT/365", overdue_penalty_daily_rate="0.0005")
    account = borrower(package, principal="100000.00", valid_to=FRIDAY)
    clock.move_to(evening(FRIDAY))
    clearing_run(business_date=FRIDAY)
    # Then Saturday and Sunday are overdue: 100,000 × 0.0005 × 2 = 100.00
    entry = JournalEntry.objects.get(idempotency_key=f"penalty:{FRIDAY}:{account.pk}")
    assert entry.postings.get(ledger_account__account_type_id="interest_receivable").amount == (
        Decimal("100.00")
    )
    # And ordinary interest still runs for all three days: 100,000 × 0.06 × 3 / 365 = 49.32
    assert interest_legs(account.pk, FRIDAY)["interest_receivable"] == Decimal("49.32")


def test_an_account_without_a_line_is_charged_at_the_fallback_package(rules, borrower, clock):
    # balanced (the seeded fallback): 6.50% ACT/360; 1,000,000 × 0.065 × 3 / 360 = 541.67
    account = borrower(None)
    clock.move_to(evening(FRIDAY))
    clearing_run(business_date=FRIDAY)
    assert interest_legs(account.pk, FRIDAY)["interest_receivable"] == Decimal("541.67")
