"""Invariant: no sequence of operations creates or loses money.

Any sequence of valid operations keeps every entry balanced, the sum of all balances at zero and
every running balance equal to its postings; invalid operations are refused and change nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import DomainError
from custody.enums import ChartCode, EntryKind
from custody.models import JournalEntry, LedgerBalance, Posting
from custody.selectors import cash_balance, ledger_total
from custody.services.ledger import credit, debit, post_entry
from custody.services.reconcile import ledger_differences
from custody.services.transfers import internal_transfer
from custody.services.withdrawals import withdrawal_request

pytestmark = pytest.mark.django_db
C = ChartCode

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
operation = st.one_of(
    st.tuples(st.just("deposit"), st.integers(0, 2), amounts),
    st.tuples(st.just("withdraw"), st.integers(0, 2), amounts),
    st.tuples(st.just("transfer"), st.tuples(st.integers(0, 2), st.integers(0, 2)), amounts),
    st.tuples(st.just("fee"), st.integers(0, 2), amounts),
    st.tuples(st.just("unbalanced"), st.integers(0, 2), amounts),
)


class _Rollback(Exception):
    pass


def state() -> tuple:
    return (
        JournalEntry.objects.count(),
        Posting.objects.count(),
        list(LedgerBalance.objects.order_by("pk").values_list("pk", "balance")),
    )


def apply(op, accounts, ops_user, n):
    name, target, amount = op
    key = f"p{n}"
    if name == "deposit":
        post_entry(
            key=key,
            kind=EntryKind.DEPOSIT,
            business_date=accounts[0].opened_at.date(),
            legs=[debit(C.CUSTODIAN_BANK, amount), credit(C.CLIENT_CASH, amount, accounts[target])],
        )
    elif name == "withdraw":
        withdrawal_request(
            margin_account=accounts[target], amount=amount, idempotency_key=key, by=ops_user
        )
    elif name == "transfer":
        internal_transfer(
            source=accounts[target[0]],
            target=accounts[target[1]],
            amount=amount,
            idempotency_key=key,
            by=ops_user,
        )
    elif name == "fee":
        post_entry(
            key=key,
            kind=EntryKind.FEE,
            business_date=accounts[0].opened_at.date(),
            legs=[debit(C.CLIENT_CASH, amount, accounts[target]), credit(C.FEE_INCOME, amount)],
        )
    else:
        post_entry(
            key=key,
            kind=EntryKind.ADJUSTMENT,
            business_date=accounts[0].opened_at.date(),
            legs=[
                debit(C.CUSTODIAN_BANK, amount + Decimal("0.01")),
                credit(C.CLIENT_CASH, amount, accounts[target]),
            ],
        )


def assert_invariants(accounts):
    unbalanced = (
        Posting.objects.values("entry_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
    )
    assert not unbalanced.exists()
    assert ledger_total() == Decimal("0.00")
    assert ledger_differences() == []
    assert all(cash_balance(a) >= 0 for a in accounts)


@pytest.fixture
def three_accounts(make_account):
    return [make_account() for _ in range(3)]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, max_size=10))
def test_no_sequence_of_operations_creates_or_loses_money(three_accounts, ops, operations):
    try:
        with transaction.atomic():
            for n, op in enumerate(operations):
                before = state()
                try:
                    with transaction.atomic():
                        apply(op, three_accounts, ops, n)
                except DomainError:
                    assert state() == before  # refused: nothing changed
                assert_invariants(three_accounts)
            raise _Rollback
    except _Rollback:
        pass
