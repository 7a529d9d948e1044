"""Withdrawals: the refusals (cash, status, ratio), four eyes, sending, confirming, failing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.enums import ClientStatus
from accounts.models import Client
from core.exceptions import (
    IdempotencyConflict,
    IllegalTransition,
    InvalidInput,
    PermissionRefused,
    SegregationOfDutiesError,
)
from custody.enums import ChartCode, WithdrawalStatus
from custody.models import JournalEntry, PaymentBatch, Withdrawal
from custody.selectors import cash_balance, firm_balance, ledger_total, natural_balances
from custody.services.payments import payment_batch_file, withdrawals_send
from custody.services.withdrawals import (
    withdrawal_approve,
    withdrawal_check,
    withdrawal_confirm,
    withdrawal_fail,
    withdrawal_reject,
    withdrawal_request,
)
from tests.custody.conftest import fund, lend
from tests.custody.factories import DailyBarFactory, PositionFactory

pytestmark = pytest.mark.django_db
W = WithdrawalStatus


def request(account, amount, key="w1", by=None):
    return withdrawal_request(margin_account=account, amount=amount, idempotency_key=key, by=by)


def state(account):
    return (cash_balance(account), Withdrawal.objects.count(), JournalEntry.objects.count())


def test_a_request_holds_the_cash_at_once(account, ops):
    fund(account, "1000.00")
    withdrawal = request(account, "400.00", by=ops)

    assert withdrawal.status == W.REQUESTED
    assert cash_balance(account) == Decimal("600.00")
    assert natural_balances(account)[ChartCode.WITHDRAWAL_HOLD] == Decimal("400.00")
    assert ledger_total() == Decimal("0.00")


def test_above_available_cash_is_refused_and_nothing_changes(account, ops):
    fund(account, "100.00")
    before = state(account)
    with pytest.raises(
        InvalidInput,
        match=r"^withdrawal of CNY 100.01 is above the available "
        r"cash of CNY 100.00$",
    ):
        request(account, "100.01", by=ops)
    assert state(account) == before


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (ClientStatus.MARGIN_CALL, "a margin call is open; withdrawals resume once it is cured"),
        (ClientStatus.LIQUIDATING, "the account is being liquidated"),
    ],
)
def test_refused_while_the_client_is_in_margin_call_or_liquidating(account, ops, status, reason):
    fund(account, "100.00")
    Client.objects.filter(pk=account.client_id).update(status=status)
    before = state(account)
    with pytest.raises(IllegalTransition) as error:
        request(account, "10.00", by=ops)
    assert str(error.value) == f"withdrawal refused for {account.account_no}: {reason}"
    assert state(account) == before


def test_refused_below_the_withdrawal_ratio(account, ops, margin_regulatory):
    # cash 50,000 + shares 100,000 = 150,000 against 40,000 lent: ratio 375%.
    fund(account, "10000.00")
    lend(account, "40000.00")
    position = PositionFactory.create(margin_account=account, quantity=Decimal("10000"))
    DailyBarFactory.create(
        instrument=position.instrument, date=account.opened_at.date(), close=Decimal("10.00")
    )
    before = state(account)
    # 30,001 out leaves 119,999 / 40,000 = 299.9975%: below 300%; at most 30,000 may go.
    with pytest.raises(InvalidInput) as error:
        request(account, "30001.00", by=ops)
    assert str(error.value) == (
        "withdrawal of CNY 30,001.00 would leave the maintenance ratio at 299.9975%, below the "
        "300% required for withdrawals (margin-regulatory/withdrawal_min_ratio); at most "
        "CNY 30,000.00 can be withdrawn"
    )
    assert state(account) == before
    assert request(account, "30000.00", by=ops).status == W.REQUESTED


def test_without_debt_the_ratio_is_infinite_and_cash_is_the_limit(account, ops):
    fund(account, "500.00")  # no margin-regulatory parameter needed: nothing is owed
    assert request(account, "500.00", by=ops).amount == Decimal("500.00")


def test_same_key_same_body_returns_the_first_withdrawal(account, ops):
    fund(account, "500.00")
    first = request(account, "100.00", key="k", by=ops)
    again = request(account, "100.00", key="k", by=ops)
    assert again.pk == first.pk
    assert cash_balance(account) == Decimal("400.00")
    with pytest.raises(IdempotencyConflict, match="already used for a different request"):
        request(account, "200.00", key="k", by=ops)
    assert cash_balance(account) == Decimal("400.00")


def test_the_requester_cannot_check_or_approve(account, ops, ops2, finance):
    fund(account, "500.00")
    withdrawal = request(account, "100.00", by=ops)
    with pytest.raises(SegregationOfDutiesError, match="cannot approve it"):
        withdrawal_check(withdrawal=withdrawal, by=ops)
    withdrawal_check(withdrawal=withdrawal, by=ops2)
    with pytest.raises(PermissionRefused, match="may not approve withdrawals"):
        withdrawal_approve(withdrawal=withdrawal, by=ops)
    approved = withdrawal_approve(withdrawal=withdrawal, by=finance)
    assert approved.status == W.APPROVED
    assert approved.first_approver == finance


def test_above_the_limit_a_second_different_approver_is_needed(
    account, ops, ops2, finance, finance2
):
    fund(account, "900000.00")
    withdrawal = request(account, "600000.00", by=ops)  # limit: CNY 500,000 (custody-funding)
    assert withdrawal.needs_second_approval
    withdrawal_check(withdrawal=withdrawal, by=ops2)
    once = withdrawal_approve(withdrawal=withdrawal, by=finance)
    assert once.status == W.CHECKED
    with pytest.raises(SegregationOfDutiesError, match="cannot approve it"):
        withdrawal_approve(withdrawal=withdrawal, by=finance)
    twice = withdrawal_approve(withdrawal=withdrawal, by=finance2)
    assert (twice.status, twice.first_approver, twice.second_approver) == (
        W.APPROVED,
        finance,
        finance2,
    )


def approved(account, ops, ops2, finance, amount="100.00", key="w1"):
    withdrawal = request(account, amount, key=key, by=ops)
    withdrawal_check(withdrawal=withdrawal, by=ops2)
    return withdrawal_approve(withdrawal=withdrawal, by=finance)


def test_rejection_returns_the_held_cash(account, ops, ops2, finance):
    fund(account, "500.00")
    withdrawal = request(account, "100.00", by=ops)
    withdrawal_check(withdrawal=withdrawal, by=ops2)
    rejected = withdrawal_reject(withdrawal=withdrawal, by=finance, reason="client asked")
    assert rejected.status == W.REJECTED
    assert cash_balance(account) == Decimal("500.00")
    assert JournalEntry.objects.filter(reverses=withdrawal.hold_entry).count() == 1


def test_send_confirm_moves_money_through_transit_to_the_bank(account, ops, ops2, finance):
    fund(account, "500.00")
    withdrawal = approved(account, ops, ops2, finance)
    batch = withdrawals_send(withdrawals=[withdrawal], by=finance, idempotency_key="b1")
    withdrawal.refresh_from_db()
    assert withdrawal.status == W.SENT and withdrawal.batch == batch
    assert firm_balance(ChartCode.BANK_IN_TRANSIT) == Decimal("100.00")

    withdrawal_confirm(withdrawal=withdrawal, amount="100.00")
    assert firm_balance(ChartCode.BANK_IN_TRANSIT) == Decimal("0.00")
    assert firm_balance(ChartCode.CUSTODIAN_BANK) == Decimal("400.00")
    assert natural_balances(account)[ChartCode.WITHDRAWAL_HOLD] == Decimal("0.00")


def test_a_failed_payment_reverses_back_to_cash(account, ops, ops2, finance):
    fund(account, "500.00")
    withdrawal = approved(account, ops, ops2, finance)
    withdrawals_send(withdrawals=[withdrawal], by=finance, idempotency_key="b1")
    failed = withdrawal_fail(withdrawal=withdrawal, by=finance, reason="account closed at bank")
    assert failed.status == W.FAILED
    assert cash_balance(account) == Decimal("500.00")
    assert firm_balance(ChartCode.BANK_IN_TRANSIT) == Decimal("0.00")
    assert ledger_total() == Decimal("0.00")


def test_only_approved_withdrawals_can_be_sent(account, ops, finance):
    fund(account, "500.00")
    withdrawal = request(account, "100.00", by=ops)
    with pytest.raises(IllegalTransition, match=f"not approved: {withdrawal.reference}"):
        withdrawals_send(withdrawals=[withdrawal], by=finance, idempotency_key="b1")
    assert PaymentBatch.objects.count() == 0


def test_a_crash_before_the_file_is_completed_by_a_retry_without_posting_twice(
    account, ops, ops2, finance, monkeypatch, outbox
):
    fund(account, "500.00")
    withdrawal = approved(account, ops, ops2, finance)
    from custody.services import payments

    real_export = payments.payment_batch_export

    def crash(**kwargs):
        raise RuntimeError("power cut after the posting commit")

    monkeypatch.setattr(payments, "payment_batch_export", crash)
    with pytest.raises(RuntimeError):
        withdrawals_send(withdrawals=[withdrawal], by=finance, idempotency_key="b1")
    entries_after_crash = JournalEntry.objects.count()
    batch = PaymentBatch.objects.get()
    assert batch.file_sha256 == ""
    assert not outbox.exists() or not any(outbox.iterdir())

    monkeypatch.setattr(payments, "payment_batch_export", real_export)
    retried = withdrawals_send(withdrawals=[withdrawal], by=finance, idempotency_key="b1")

    assert retried.pk == batch.pk
    assert JournalEntry.objects.count() == entries_after_crash
    assert (
        JournalEntry.objects.filter(idempotency_key=f"withdrawal-sent-{withdrawal.pk}").count() == 1
    )
    retried.refresh_from_db()
    name, content = payment_batch_file(batch=retried)
    assert (outbox / name).read_bytes() == content
    assert retried.file_sha256 != ""
