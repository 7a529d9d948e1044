"""The ledger: balanced entries only, idempotent keys, immutable postings, running balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.exceptions import IdempotencyConflict, InvalidInput
from custody.enums import BreakKind, ChartCode, EntryKind
from custody.models import (
    ImmutableError,
    JournalEntry,
    LedgerBalance,
    Posting,
    ReconciliationBreak,
)
from custody.selectors import balances_as_of, cash_balance, firm_balance, ledger_total
from custody.services.ledger import Leg, credit, debit, entry_reverse, post_entry
from custody.services.reconcile import ledger_differences, reconcile_ledger
from tests.custody.conftest import fund

pytestmark = pytest.mark.django_db
C = ChartCode
DAY = date(2026, 3, 2)


def snapshot() -> tuple[int, int, list[tuple[int, Decimal]]]:
    balances = list(LedgerBalance.objects.order_by("pk").values_list("pk", "balance"))
    return JournalEntry.objects.count(), Posting.objects.count(), balances


def deposit_legs(account, amount="100.00"):
    return [
        debit(C.CUSTODIAN_BANK, Decimal(amount)),
        credit(C.CLIENT_CASH, Decimal(amount), account),
    ]


def test_a_balanced_entry_moves_running_balances(account):
    entry = post_entry(
        key="k1",
        kind=EntryKind.DEPOSIT,
        business_date=DAY,
        legs=deposit_legs(account, "250.00"),
        margin_account=account,
    )

    assert entry.postings.count() == 2
    assert cash_balance(account) == Decimal("250.00")
    assert firm_balance(C.CUSTODIAN_BANK) == Decimal("250.00")
    assert ledger_total() == Decimal("0.00")


def test_an_unbalanced_entry_is_refused_and_nothing_changes(account):
    fund(account, "10.00")
    before = snapshot()
    with pytest.raises(
        InvalidInput, match="entry bad does not balance: CNY debits exceed credits by 1.00"
    ):
        post_entry(
            key="bad",
            kind=EntryKind.ADJUSTMENT,
            business_date=DAY,
            legs=[
                debit(C.CUSTODIAN_BANK, Decimal("101.00")),
                credit(C.CLIENT_CASH, Decimal("100.00"), account),
            ],
        )
    assert snapshot() == before


def test_an_entry_must_balance_in_each_currency(account):
    with pytest.raises(InvalidInput, match="USD debits exceed credits by 5.00"):
        post_entry(
            key="fx",
            kind=EntryKind.ADJUSTMENT,
            business_date=DAY,
            legs=[
                Leg(C.CUSTODIAN_BANK, Decimal("5.00"), None, "USD"),
                Leg(C.SUSPENSE, Decimal("-5.00"), None, "CNY"),
            ],
        )


@pytest.mark.parametrize(
    ("legs", "message"),
    [
        ([debit(C.CUSTODIAN_BANK, Decimal("1.00"))], "needs at least two postings, got 1"),
        (
            [debit(C.CUSTODIAN_BANK, Decimal("1.005")), credit(C.SUSPENSE, Decimal("1.005"))],
            "amount 1.005 for custodian_bank has more than two decimal places",
        ),
        (
            [debit(C.CUSTODIAN_BANK, Decimal("0")), credit(C.SUSPENSE, Decimal("0"))],
            "a posting of zero to custodian_bank is refused",
        ),
        (
            [debit(C.CLIENT_CASH, Decimal("1.00")), credit(C.SUSPENSE, Decimal("1.00"))],
            "client_cash needs a margin account",
        ),
        (
            [debit("petty_cash", Decimal("1.00")), credit(C.SUSPENSE, Decimal("1.00"))],
            "'petty_cash' is not in the chart of accounts",
        ),
    ],
)
def test_malformed_entries_are_refused(legs, message):
    with pytest.raises(InvalidInput, match=message):
        post_entry(key="m", kind=EntryKind.ADJUSTMENT, business_date=DAY, legs=legs)
    assert JournalEntry.objects.count() == 0


def test_client_cash_never_goes_negative(account):
    fund(account, "50.00")
    before = snapshot()
    with pytest.raises(
        InvalidInput,
        match="client_cash of .* would fall below zero: it holds CNY 50.00 and CNY 50.01 is needed",
    ):
        post_entry(
            key="over",
            kind=EntryKind.FEE,
            business_date=DAY,
            legs=[
                debit(C.CLIENT_CASH, Decimal("50.01"), account),
                credit(C.FEE_INCOME, Decimal("50.01")),
            ],
        )
    assert snapshot() == before


def test_same_key_same_legs_posts_once(account):
    first = post_entry(
        key="once", kind=EntryKind.DEPOSIT, business_date=DAY, legs=deposit_legs(account)
    )
    again = post_entry(
        key="once", kind=EntryKind.DEPOSIT, business_date=DAY, legs=deposit_legs(account)
    )
    assert again.pk == first.pk
    assert cash_balance(account) == Decimal("100.00")


def test_same_key_other_legs_is_refused(account):
    post_entry(key="once", kind=EntryKind.DEPOSIT, business_date=DAY, legs=deposit_legs(account))
    before = snapshot()
    with pytest.raises(IdempotencyConflict, match="entry key 'once' was already used"):
        post_entry(
            key="once",
            kind=EntryKind.DEPOSIT,
            business_date=DAY,
            legs=deposit_legs(account, "999.00"),
        )
    assert snapshot() == before


def test_a_reversal_mirrors_the_entry_and_is_linked(account, ops):
    entry = post_entry(
        key="dep",
        kind=EntryKind.DEPOSIT,
        business_date=DAY,
        legs=deposit_legs(account),
        margin_account=account,
    )
    reversal = entry_reverse(entry=entry, reason="keyed twice", by=ops)

    assert reversal.reverses == entry
    assert sorted(reversal.postings.values_list("amount", flat=True)) == [
        Decimal("-100.00"),
        Decimal("100.00"),
    ]
    assert cash_balance(account) == Decimal("0.00")
    assert entry_reverse(entry=entry, reason="again", by=ops).pk == reversal.pk
    with pytest.raises(InvalidInput, match="is itself a reversal"):
        entry_reverse(entry=reversal, reason="undo", by=ops)


def test_postings_and_entries_are_immutable(account):
    entry = post_entry(
        key="imm", kind=EntryKind.DEPOSIT, business_date=DAY, legs=deposit_legs(account)
    )
    posting = entry.postings.first()
    assert posting is not None
    posting.amount = Decimal("1.00")
    with pytest.raises(ImmutableError, match="immutable; post a reversal"):
        posting.save()
    with pytest.raises(ImmutableError):
        posting.delete()
    with pytest.raises(ImmutableError):
        Posting.objects.filter(pk=posting.pk).update(amount=Decimal("1.00"))
    with pytest.raises(ImmutableError):
        JournalEntry.objects.filter(pk=entry.pk).delete()
    entry.memo = "changed"
    with pytest.raises(ImmutableError):
        entry.save()
    assert Posting.objects.get(pk=posting.pk).amount in (Decimal("100.00"), Decimal("-100.00"))


def test_balance_as_of_a_date_comes_from_the_postings(account):
    fund(account, "100.00", on=date(2026, 3, 2))
    fund(account, "40.00", on=date(2026, 3, 5))

    def cash_on(day):
        rows = balances_as_of(day, margin_account=account)
        return {r.ledger_account.account_type_id: r.natural for r in rows}.get(C.CLIENT_CASH)

    assert cash_on(date(2026, 3, 1)) is None
    assert cash_on(date(2026, 3, 3)) == Decimal("100.00")
    assert cash_on(date(2026, 3, 5)) == Decimal("140.00")


def test_reconciliation_finds_a_tampered_balance_and_opens_one_break(account, capsys):
    fund(account, "100.00")
    assert ledger_differences() == []
    row = LedgerBalance.objects.get(ledger_account__account_type_id=C.CUSTODIAN_BANK)
    LedgerBalance.objects.filter(pk=row.pk).update(balance=Decimal("90.00"))

    differences = reconcile_ledger(record_breaks=True)
    reconcile_ledger(record_breaks=True)

    assert [(d.running, d.from_postings) for d in differences] == [
        (Decimal("90.00"), Decimal("100.00"))
    ]
    assert ReconciliationBreak.objects.filter(kind=BreakKind.LEDGER_DIFFERENCE).count() == 1
    with pytest.raises(SystemExit):
        call_command("reconcile_ledger")
    assert "firm custodian_bank CNY: running 90.00, postings 100.00" in capsys.readouterr().out


def test_reconcile_command_reports_a_clean_ledger(account, capsys):
    fund(account, "100.00")
    call_command("reconcile_ledger")
    assert "every running balance equals the sum of its postings" in capsys.readouterr().out
