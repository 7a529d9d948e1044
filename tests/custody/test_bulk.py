"""The bulk posting path: many entries at once, idempotent per entry key, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import IdempotencyConflict, InvalidInput
from custody.enums import ChartCode, EntryKind
from custody.models import JournalEntry, Posting
from custody.selectors import cash_balance, firm_balance, ledger_total
from custody.services.bulk import post_entries_bulk
from custody.services.ledger import EntrySpec, credit, debit
from custody.services.reconcile import ledger_differences

pytestmark = pytest.mark.django_db
C = ChartCode
DAY = date(2026, 3, 2)


def interest(account, n, amount="1.25"):
    value = Decimal(amount)
    return EntrySpec(
        key=f"interest-{DAY}-{account.pk}-{n}",
        kind=EntryKind.INTEREST,
        business_date=DAY,
        legs=[debit(C.INTEREST_RECEIVABLE, value, account), credit(C.INTEREST_INCOME, value)],
        margin_account_id=account.pk,
    )


def run_bulk(specs):
    return post_entries_bulk(entries=specs)


def test_bulk_posts_every_entry_and_moves_balances_set_based(make_account):
    accounts = [make_account() for _ in range(3)]
    specs = [interest(a, n) for a in accounts for n in range(4)]
    result = run_bulk(specs)
    assert (result.entries_posted, result.postings_written, result.entries_skipped) == (12, 24, 0)
    assert firm_balance(C.INTEREST_INCOME) == Decimal("15.00")
    assert ledger_total() == Decimal("0.00")
    assert ledger_differences() == []


def test_re_running_a_batch_skips_what_is_posted(account):
    run_bulk([interest(account, 1)])
    result = run_bulk([interest(account, 1), interest(account, 2)])
    assert (result.entries_posted, result.entries_skipped) == (1, 1)
    assert Posting.objects.count() == 4


def test_a_changed_entry_under_an_old_key_refuses_the_whole_batch(account):
    run_bulk([interest(account, 1)])
    before = (JournalEntry.objects.count(), Posting.objects.count())
    with pytest.raises(IdempotencyConflict, match="already used for a different entry; nothing"):
        run_bulk([interest(account, 2), interest(account, 1, "9.99")])
    assert (JournalEntry.objects.count(), Posting.objects.count()) == before


def test_one_unbalanced_entry_refuses_the_whole_batch(account):
    bad = EntrySpec(
        key="bad",
        kind=EntryKind.FEE,
        business_date=DAY,
        legs=[
            debit(C.FEES_RECEIVABLE, Decimal("1.00"), account),
            credit(C.FEE_INCOME, Decimal("0.99")),
        ],
    )
    with pytest.raises(InvalidInput, match="entry bad does not balance"):
        run_bulk([interest(account, 1), bad])
    assert JournalEntry.objects.count() == 0


def test_bulk_refuses_to_take_client_cash_below_zero(account):
    fee = EntrySpec(
        key="fee",
        kind=EntryKind.FEE,
        business_date=DAY,
        legs=[
            debit(C.CLIENT_CASH, Decimal("1.00"), account),
            credit(C.FEE_INCOME, Decimal("1.00")),
        ],
    )
    with pytest.raises(InvalidInput, match="would fall below zero"):
        run_bulk([fee])
    assert cash_balance(account) == Decimal("0.00")
    assert JournalEntry.objects.count() == 0


def test_an_invalid_entry_after_thousands_streamed_leaves_nothing_written(account):
    # On PostgreSQL entries are validated while they stream: the first chunks have reached the
    # server when the bad one is found, and the whole batch must still disappear.
    bad = EntrySpec(
        key="late-and-bad",
        kind=EntryKind.FEE,
        business_date=DAY,
        legs=[debit(C.FEES_RECEIVABLE, Decimal("1.001"), account), credit(C.FEE_INCOME, "1.001")],
    )
    specs = [interest(account, n) for n in range(6_000)] + [bad]
    with pytest.raises(InvalidInput, match="late-and-bad: amount 1.001 .* two decimal places"):
        run_bulk(specs)
    assert (JournalEntry.objects.count(), Posting.objects.count()) == (0, 0)
    assert firm_balance(C.INTEREST_INCOME) == Decimal("0.00")


@pytest.mark.parametrize("key", ["tab\there", "unit\x1fseparator", "new\nline", ""])
def test_an_entry_key_must_be_printable(account, key):
    spec = EntrySpec(
        key=key,
        kind=EntryKind.INTEREST,
        business_date=DAY,
        legs=[debit(C.INTEREST_RECEIVABLE, "1.00", account), credit(C.INTEREST_INCOME, "1.00")],
    )
    with pytest.raises(InvalidInput, match="1–160 printable characters"):
        run_bulk([interest(account, 1), spec])
    assert JournalEntry.objects.count() == 0
