"""Deposits: own-account money is posted, third-party money held for review."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from custody.enums import AmlRule, ChartCode, DepositStatus
from custody.models import AmlCase, FundMovement, JournalEntry
from custody.selectors import cash_balance, firm_balance
from custody.services.deposits import (
    deposit_confirm,
    deposit_expect,
    deposit_release,
    deposit_return,
)
from tests.custody.conftest import OTHER_ACCOUNT, OWN_ACCOUNT

pytestmark = pytest.mark.django_db


def expect(account, amount="1000.00", key="d1", by=None):
    return deposit_expect(margin_account=account, amount=amount, idempotency_key=key, by=by)


def test_own_account_money_is_posted_to_client_cash(
    account, ops, django_capture_on_commit_callbacks
):
    deposit = expect(account, by=ops)
    assert deposit.status == DepositStatus.EXPECTED
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        posted = deposit_confirm(
            deposit=deposit, amount="1000.00", from_account_no=OWN_ACCOUNT, bank_reference="B1"
        )
    assert posted.status == DepositStatus.POSTED
    assert posted.from_own_account is True
    assert cash_balance(account) == Decimal("1000.00")
    assert firm_balance(ChartCode.CUSTODIAN_BANK) == Decimal("1000.00")
    assert len(callbacks) == 1  # the AML screening task, queued after commit
    assert FundMovement.objects.get().screened_at is not None


def test_third_party_money_is_held_in_suspense_and_opens_an_aml_case(
    account, ops, django_capture_on_commit_callbacks
):
    deposit = expect(account, by=ops)
    with django_capture_on_commit_callbacks(execute=True):
        held = deposit_confirm(
            deposit=deposit,
            amount="1000.00",
            from_account_no=OTHER_ACCOUNT,
            from_account_name="Someone Else",
            bank_reference="B2",
        )
    assert held.status == DepositStatus.HELD
    assert cash_balance(account) == Decimal("0.00")
    assert firm_balance(ChartCode.SUSPENSE) == Decimal("1000.00")
    assert AmlCase.objects.get().rule == AmlRule.THIRD_PARTY


def test_a_held_deposit_is_released_or_returned_by_compliance(make_account, ops, compliance):
    first, second = make_account(), make_account()
    for key, account in (("a", first), ("b", second)):
        deposit = expect(account, key=key, by=ops)
        deposit_confirm(deposit=deposit, amount="1000.00", from_account_no=OTHER_ACCOUNT)
    released_deposit, returned_deposit = first.deposits.get(), second.deposits.get()
    with pytest.raises(PermissionRefused):
        deposit_release(deposit=released_deposit, by=ops, note="ok")
    with pytest.raises(InvalidInput, match="a review note is required"):
        deposit_release(deposit=released_deposit, by=compliance, note=" ")

    released = deposit_release(deposit=released_deposit, by=compliance, note="spouse, documented")
    returned = deposit_return(deposit=returned_deposit, by=compliance, note="unknown payer")

    assert (released.status, returned.status) == (DepositStatus.POSTED, DepositStatus.RETURNED)
    assert cash_balance(first) == Decimal("1000.00")
    assert cash_balance(second) == Decimal("0.00")
    assert firm_balance(ChartCode.SUSPENSE) == Decimal("0.00")
    assert firm_balance(ChartCode.CUSTODIAN_BANK) == Decimal("1000.00")
    with pytest.raises(IllegalTransition, match="only held deposits"):
        deposit_release(deposit=released, by=compliance, note="again")


def test_confirming_twice_posts_once_and_a_different_amount_is_refused(account, ops):
    deposit = expect(account, by=ops)
    with pytest.raises(
        InvalidInput, match="the bank reports CNY 999.00 but CNY 1,000.00 was expected"
    ):
        deposit_confirm(deposit=deposit, amount="999.00", from_account_no=OWN_ACCOUNT)
    assert JournalEntry.objects.count() == 0
    deposit_confirm(deposit=deposit, amount="1000.00", from_account_no=OWN_ACCOUNT)
    deposit_confirm(deposit=deposit, amount="1000.00", from_account_no=OWN_ACCOUNT)
    assert JournalEntry.objects.count() == 1
    assert cash_balance(account) == Decimal("1000.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "amount: the amount must be above zero, got 0"),
        ("-5", "amount: the amount must be above zero, got -5"),
        ("1.001", "amount: 1.001 has more than two decimal places"),
        ("lots", "amount: not a number: 'lots'"),
    ],
)
def test_bad_amounts_are_refused(account, ops, amount, message):
    with pytest.raises(InvalidInput, match=message):
        expect(account, amount=amount, by=ops)
