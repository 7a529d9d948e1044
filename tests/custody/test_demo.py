"""The custody demo runs standalone and a second run changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from custody.enums import DepositStatus, WithdrawalStatus
from custody.models import (
    AmlCase,
    BankStatement,
    Deposit,
    JournalEntry,
    MarginAccount,
    ReconciliationBreak,
    Withdrawal,
)
from custody.selectors import ledger_total
from custody.services.reconcile import ledger_differences

# Real commits: the contracts demo reads its own signing code, delivered after commit.
pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            MarginAccount,
            Deposit,
            Withdrawal,
            JournalEntry,
            BankStatement,
            ReconciliationBreak,
            AmlCase,
        )
    )


def test_demo_seeds_the_custody_book_idempotently():
    call_command("demo_seed", "--quiet")
    first = counts()
    call_command("demo_seed", "--quiet")

    assert counts() == first
    assert MarginAccount.objects.count() >= 3
    assert Withdrawal.objects.get().status == WithdrawalStatus.CHECKED
    assert Deposit.objects.filter(status=DepositStatus.HELD).count() == 1
    assert ReconciliationBreak.objects.count() == 1
    assert AmlCase.objects.count() >= 1
    assert ledger_total() == 0
    assert ledger_differences() == []
