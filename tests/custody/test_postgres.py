"""What PostgreSQL itself guarantees: deferred balance triggers, immutability, no negative cash,
and correctness under concurrency (threads, each with its own connection, committing for real).
"""

from __future__ import annotations

import threading
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone

from core.exceptions import DomainError, InvalidInput
from custody.enums import ChartCode, EntryKind
from custody.models import JournalEntry, LedgerAccount, LedgerBalance, Posting, Withdrawal
from custody.selectors import cash_balance
from custody.services.ledger import Leg, credit, debit, post_entry, resolve_accounts
from custody.services.withdrawals import withdrawal_request
from tests.custody.conftest import fund

pytestmark = pytest.mark.postgres
C = ChartCode


@pytest.fixture
def reseed(transactional_db):
    """Transactional tests run after another test's flush: put back the data custody seeds."""
    import_module("custody.migrations.0002_chart_and_parameters").seed(django_apps, None)


def cash_account_id(account) -> int:
    ids = resolve_accounts([(account.pk, C.CLIENT_CASH, "CNY")])
    return ids[(account.pk, C.CLIENT_CASH, "CNY")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_the_deferred_trigger_refuses_an_unbalanced_entry_at_commit(account):
    bank = resolve_accounts([(None, C.CUSTODIAN_BANK, "CNY")])[(None, C.CUSTODIAN_BANK, "CNY")]
    with pytest.raises(IntegrityError, match=r"journal entry \d+ does not balance"):
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                business_date=timezone.localdate(),
                kind=EntryKind.ADJUSTMENT,
                idempotency_key="raw",
                fingerprint="x",
            )
            Posting.objects.create(entry=entry, ledger_account_id=bank, amount=Decimal("5.00"))
            Posting.objects.create(
                entry=entry, ledger_account_id=cash_account_id(account), amount=Decimal("-4.00")
            )
            # the two inserts above are accepted: the check runs when the transaction commits
    assert JournalEntry.objects.count() == 0
    assert Posting.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_the_deferred_trigger_refuses_an_entry_without_postings():
    with pytest.raises(IntegrityError, match="has 0 posting"):
        with transaction.atomic():
            JournalEntry.objects.create(
                business_date=timezone.localdate(),
                kind=EntryKind.ADJUSTMENT,
                idempotency_key="empty",
                fingerprint="x",
            )
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db
def test_postings_refuse_update_and_delete_in_the_database(account):
    fund(account, "10.00")
    for sql in (
        "UPDATE custody_posting SET amount = amount * 2",
        "DELETE FROM custody_posting",
        "UPDATE custody_journalentry SET memo = 'x'",
    ):
        with pytest.raises(IntegrityError, match="rows are immutable"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert Posting.objects.count() == 2


@pytest.mark.django_db
def test_an_entry_for_a_margin_account_that_does_not_exist_is_refused(account):
    fund(account, "10.00")
    missing = account.pk + 10_000
    with pytest.raises(IntegrityError, match=f"margin account {missing}, which does not exist"):
        with transaction.atomic():
            JournalEntry.objects.create(
                business_date=timezone.localdate(),
                kind=EntryKind.ADJUSTMENT,
                idempotency_key="nobody",
                fingerprint="x",
                margin_account_id=missing,
            )
    assert not JournalEntry.objects.filter(idempotency_key="nobody").exists()


@pytest.mark.django_db
def test_a_margin_account_in_the_ledger_cannot_be_deleted(account):
    fund(account, "10.00")
    with pytest.raises(IntegrityError, match="close it instead of deleting it"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM custody_marginaccount WHERE id = %s", [account.pk])
    assert type(account).objects.filter(pk=account.pk).exists()


@pytest.mark.django_db
def test_the_database_refuses_negative_client_cash(account):
    fund(account, "10.00")
    with pytest.raises(IntegrityError, match="client_cash_never_negative"), transaction.atomic():
        LedgerBalance.objects.filter(pk=cash_account_id(account)).update(balance=Decimal("1.00"))
    assert cash_balance(account) == Decimal("10.00")


def _in_threads(count: int, work) -> list:
    results: list = [None] * count
    start = threading.Event()

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except DomainError as error:
            results[i] = error
        except DatabaseError as error:  # pragma: no cover - would be a bug; keep it visible
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_fifty_parallel_withdrawals_against_cash_for_ten(account, ops):
    fund(account, "1000.00")

    results = _in_threads(
        50,
        lambda i: withdrawal_request(
            margin_account=account, amount="100.00", idempotency_key=f"par-{i}", by=ops
        ),
    )

    successes = [r for r in results if isinstance(r, Withdrawal)]
    refusals = [r for r in results if isinstance(r, InvalidInput)]
    assert len(successes) == 10
    assert len(refusals) == 40
    assert {str(r) for r in refusals} == {
        "withdrawal of CNY 100.00 is above the available cash of CNY 0.00"
    }
    assert cash_balance(account) == Decimal("0.00")
    assert (
        LedgerBalance.objects.filter(
            ledger_account__account_type_id=C.CLIENT_CASH, balance__gt=0
        ).count()
        == 0
    )
    assert Withdrawal.objects.count() == 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_two_requests_with_one_key_post_once(account, ops):
    fund(account, "1000.00")
    results = _in_threads(
        2,
        lambda i: withdrawal_request(
            margin_account=account, amount="100.00", idempotency_key="same", by=ops
        ),
    )
    assert all(isinstance(r, Withdrawal) for r in results)
    assert results[0].pk == results[1].pk
    assert Withdrawal.objects.count() == 1
    assert JournalEntry.objects.filter(kind=EntryKind.WITHDRAWAL_HOLD).count() == 1
    assert cash_balance(account) == Decimal("900.00")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_two_entries_with_one_key_post_once(account):
    def post(i: int):
        return post_entry(
            key="one-key",
            kind=EntryKind.DEPOSIT,
            business_date=timezone.localdate(),
            legs=[
                debit(C.CUSTODIAN_BANK, Decimal("5.00")),
                credit(C.CLIENT_CASH, Decimal("5.00"), account),
            ],
        )

    results = _in_threads(2, post)
    assert results[0].pk == results[1].pk
    assert cash_balance(account) == Decimal("5.00")
    assert LedgerAccount.objects.filter(margin_account=account).count() >= 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_a_posting_added_later_to_a_committed_entry_is_refused(account):
    fund(account, "10.00")  # committed: this test runs outside a wrapping transaction
    entry = JournalEntry.objects.get()
    bank = resolve_accounts([(None, C.CUSTODIAN_BANK, "CNY")])[(None, C.CUSTODIAN_BANK, "CNY")]
    with pytest.raises(IntegrityError, match=f"journal entry {entry.pk} does not balance"):
        with transaction.atomic():
            Posting.objects.create(entry=entry, ledger_account_id=bank, amount=Decimal("1.00"))
    assert Posting.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_an_unbalanced_entry_copied_in_bulk_is_refused_at_commit(account):
    bank = resolve_accounts([(None, C.CUSTODIAN_BANK, "CNY")])[(None, C.CUSTODIAN_BANK, "CNY")]
    cash = cash_account_id(account)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('custody_journalentry', 'id'))")
            first = cursor.fetchone()[0]
            tail = "\\N\t\\N\t2026-03-02T00:00:00Z\n"
            rows = "".join(
                f"{first + n}\t2026-03-02\tinterest\t\tcopy-{n}\tx\t{tail}" for n in range(3)
            )
            with cursor.cursor.copy(
                "COPY custody_journalentry (id, business_date, kind, memo, idempotency_key, "
                "fingerprint, margin_account_id, created_by_id, created_at) FROM STDIN"
            ) as copy:
                copy.write(rows)
            with cursor.cursor.copy(
                "COPY custody_posting (entry_id, ledger_account_id, amount, currency) FROM STDIN"
            ) as copy:
                for n in range(3):
                    credit_amount = "-5.00" if n != 1 else "-4.99"  # the middle one is short
                    copy.write(
                        f"{first + n}\t{bank}\t5.00\tCNY\n"
                        f"{first + n}\t{cash}\t{credit_amount}\tCNY\n"
                    )
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_postings_must_refer_to_existing_ledger_accounts(account):
    bank = resolve_accounts([(None, C.CUSTODIAN_BANK, "CNY")])[(None, C.CUSTODIAN_BANK, "CNY")]
    with pytest.raises(IntegrityError, match="refers to ledger account 999999, which does not"):
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                business_date=timezone.localdate(),
                kind=EntryKind.ADJUSTMENT,
                idempotency_key="ghost",
                fingerprint="x",
            )
            Posting.objects.create(entry=entry, ledger_account_id=bank, amount=Decimal("1.00"))
            Posting.objects.create(entry=entry, ledger_account_id=999999, amount=Decimal("-1.00"))
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM custody_ledgeraccount WHERE id = %s", [bank])
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed")
def test_entries_balance_per_currency_in_the_database(account):
    legs = [
        debit(C.CUSTODIAN_BANK, Decimal("5.00")),
        credit(C.SUSPENSE, Decimal("5.00")),
        Leg(C.CUSTODIAN_BANK, Decimal("3.00"), None, "USD"),
        Leg(C.SUSPENSE, Decimal("-3.00"), None, "USD"),
    ]
    post_entry(
        key="two-currencies",
        kind=EntryKind.ADJUSTMENT,
        business_date=timezone.localdate(),
        legs=legs,
    )  # commits: accepted
    cny = resolve_accounts([(None, C.CUSTODIAN_BANK, "CNY")])[(None, C.CUSTODIAN_BANK, "CNY")]
    usd = resolve_accounts([(None, C.SUSPENSE, "USD")])[(None, C.SUSPENSE, "USD")]
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        entry = JournalEntry.objects.create(
            business_date=timezone.localdate(),
            kind=EntryKind.ADJUSTMENT,
            idempotency_key="fx-mismatch",
            fingerprint="x",
        )
        Posting.objects.create(entry=entry, ledger_account_id=cny, amount=Decimal("5.00"))
        Posting.objects.create(
            entry=entry, ledger_account_id=usd, amount=Decimal("-5.00"), currency="USD"
        )
    assert JournalEntry.objects.count() == 1
