"""Fees and VAT by hand; reconciliation finds planted breaks; the fee schema matches its seed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F

from core.models import ParameterSet, ParameterVersion
from custody.enums import ChartCode, EntryKind
from custody.models import JournalEntry, LedgerBalance
from custody.services.ledger import credit, debit, post_entry
from settlement.enums import ClearingBreakKind, ClearingBreakStatus
from settlement.migrations import _seed_copy
from settlement.models import ClearingBreak, DailyStatement
from settlement.schemas import FEES_SCHEMA, FEES_SEED
from settlement.services import clearing_break_resolve, clearing_run
from tests.settlement.conftest import evening

pytestmark = pytest.mark.django_db
MONTH_END = date(2026, 3, 31)  # a Tuesday, the last trading day of March


def legs(key: str) -> dict[str, Decimal]:
    entry = JournalEntry.objects.get(idempotency_key=key)
    return {p.ledger_account.account_type_id: p.amount for p in entry.postings.all()}


def test_the_fee_schema_and_seed_match_the_migration():
    assert _seed_copy.SCHEMA == FEES_SCHEMA
    assert _seed_copy.VALUES == FEES_SEED


def test_the_account_fee_is_charged_once_on_the_months_last_trading_day(
    define_package, borrower, clock
):
    package = define_package("p365", "0.0600", "ACT/365")
    debtor = borrower(package, principal="1000.00")
    saver = borrower(package, principal="0")
    clock.move_to(evening(date(2026, 3, 30)))
    clearing_run(business_date=date(2026, 3, 30))
    assert not JournalEntry.objects.filter(idempotency_key__startswith="account-fee:").exists()
    clock.move_to(evening(MONTH_END))
    clearing_run(business_date=MONTH_END)
    # CNY 10.00 including 6% VAT: 10 × 6/106 = 0.566… → 0.57
    assert legs(f"account-fee:2026-03:{debtor.pk}") == {
        "fees_receivable": Decimal("10.00"),
        "fee_income": Decimal("-9.43"),
        "vat_payable": Decimal("-0.57"),
    }
    assert not JournalEntry.objects.filter(
        idempotency_key=f"account-fee:2026-03:{saver.pk}"
    ).exists()


def test_the_financing_service_fee_accrues_like_interest(define_package, borrower, clock):
    fees = ParameterSet.objects.get(key="clearing-fees")
    version = ParameterVersion.objects.get(parameter_set=fees)
    version.values = {**version.values, "service_fee_annual_rate": "0.0100"}
    version.save()
    account = borrower(define_package("p365", "0.0600", "ACT/365"))
    friday = date(2026, 3, 6)
    clock.move_to(evening(friday))
    clearing_run(business_date=friday)
    # 1,000,000 × 1% × 3 / 365 = 82.19; VAT 82.19 × 6/106 = 4.65
    assert legs(f"service-fee:{friday}:{account.pk}") == {
        "fees_receivable": Decimal("82.19"),
        "fee_income": Decimal("-77.54"),
        "vat_payable": Decimal("-4.65"),
    }


def test_the_statement_shows_the_clearings_charges_of_the_day_and_no_other_fee(
    define_package, borrower, clock
):
    fees = ParameterSet.objects.get(key="clearing-fees")
    version = ParameterVersion.objects.get(parameter_set=fees)
    version.values = {**version.values, "service_fee_annual_rate": "0.0100"}
    version.save()
    account = borrower(define_package("p365", "0.0600", "ACT/365"), principal="1000000.00")
    # A fee of the same day posted by someone else (not a clearing key): not today's clearing.
    post_entry(
        key=f"manual-fee:{account.pk}",
        kind=EntryKind.FEE,
        business_date=MONTH_END,
        legs=[
            debit(ChartCode.FEES_RECEIVABLE, "5.00", account),
            credit(ChartCode.FEE_INCOME, "5.00"),
        ],
        margin_account=account,
    )
    clock.move_to(evening(MONTH_END))
    clearing_run(business_date=MONTH_END)
    statement = DailyStatement.objects.get(margin_account=account, business_date=MONTH_END)
    # Tuesday accrues one day: interest 1,000,000 × 6% / 365 = 164.38; service fee
    # 1,000,000 × 1% / 365 = 27.40; the month's account fee 10.00.
    assert statement.interest_today == Decimal("164.38")
    assert statement.fees_today == Decimal("27.40") + Decimal("10.00")
    assert statement.fees == Decimal("5.00") + Decimal("27.40") + Decimal("10.00")


def test_reconciliation_finds_a_planted_break_once_and_people_resolve_it(
    define_package, borrower, clock, ops
):
    account = borrower(define_package("p365", "0.0600", "ACT/365"))
    cash = LedgerBalance.objects.get(
        ledger_account__margin_account=account, ledger_account__account_type_id="client_cash"
    )
    LedgerBalance.objects.filter(pk=cash.pk).update(balance=F("balance") - Decimal("0.01"))
    thursday = date(2026, 3, 5)
    clock.move_to(evening(thursday))
    run = clearing_run(business_date=thursday)
    found = ClearingBreak.objects.get(run=run, kind=ClearingBreakKind.LEDGER_BALANCE)
    assert found.reference == f"ledger-account:{cash.pk}"
    assert found.actual - found.expected == Decimal("-0.01")
    trial = ClearingBreak.objects.get(run=run, kind=ClearingBreakKind.TRIAL_BALANCE)
    assert trial.actual == Decimal("-0.01")
    assert run.report["open_breaks"] == 2
    clearing_run(business_date=thursday, rerun=True)
    assert ClearingBreak.objects.filter(run=run).count() == 2
    resolved = clearing_break_resolve(break_=found, by=ops, note="balance row corrected")
    assert resolved.status == ClearingBreakStatus.RESOLVED


def test_a_clean_book_has_no_breaks_and_says_the_bank_check_waited(define_package, borrower, clock):
    borrower(define_package("p365", "0.0600", "ACT/365"))
    thursday = date(2026, 3, 5)
    clock.move_to(evening(thursday))
    run = clearing_run(business_date=thursday)
    assert not ClearingBreak.objects.filter(run=run).exists()
    totals = run.steps.get(key="reconciliation").details["totals"]
    assert totals["custodian_bank"] == "skipped: no bank statement imported"
