"""Set-based reads the clearing steps share: balances as of a date, financing terms, marks.

Everything here takes a shard (a range of margin account ids) and answers in a few queries,
whatever the number of accounts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Sum

from core.money import DEFAULT_CURRENCY
from credit.enums import CreditLineStatus
from credit.models import CreditLine
from custody.enums import NormalSide
from custody.models import JournalEntry, LedgerBalance, Posting
from settlement.models import Mark

Balances = dict[int, dict[str, Decimal]]


def between(field: str, first: int, last: int) -> dict[str, int]:
    """Filter keywords for ``first <= field <= last`` (``__range`` does not take foreign keys)."""
    return {f"{field}__gte": first, f"{field}__lte": last}


def _later_postings_exist(on: date) -> bool:
    return JournalEntry.objects.filter(business_date__gt=on).exists()


def client_balances(
    first: int, last: int, codes: Iterable[str], on: date, currency: str = DEFAULT_CURRENCY
) -> Balances:
    """Natural balances per account and chart code at the close of ``on``.

    The running balances, less postings of entries dated after ``on`` (only looked for when
    there are any), so a run resumed days later sees the same figures as on the night.
    """
    codes = list(codes)
    rows: Iterable[tuple[int, str, Decimal, str]]
    if connection.vendor == "postgresql":
        rows = _fetch(_BALANCES_SQL, [first, last, [str(c) for c in codes], currency])
    else:
        rows = _balance_rows(first, last, codes, currency)
    result: Balances = defaultdict(dict)
    sides: dict[tuple[int, str], str] = {}
    has_later = _later_postings_exist(on)
    debit = str(NormalSide.DEBIT)
    for account_id, code, balance, side in rows:
        result[account_id][code] = balance if side == debit else -balance
        if has_later:
            sides[(account_id, code)] = side
    if has_later:
        later = (
            Posting.objects.filter(
                entry__business_date__gt=on,
                **between("ledger_account__margin_account", first, last),
                ledger_account__account_type_id__in=codes,
                currency=currency,
            )
            .values_list("ledger_account__margin_account_id", "ledger_account__account_type_id")
            .annotate(total=Sum("amount"))
        )
        for account_id, code, total in later:
            sign = 1 if sides[(account_id, code)] == NormalSide.DEBIT else -1
            result[account_id][code] -= sign * total
    return result


def _balance_rows(
    first: int, last: int, codes: list[str], currency: str
) -> Iterable[tuple[int, str, Decimal, str]]:
    return LedgerBalance.objects.filter(
        **between("ledger_account__margin_account", first, last),
        ledger_account__account_type_id__in=codes,
        ledger_account__currency=currency,
    ).values_list(
        "ledger_account__margin_account_id",
        "ledger_account__account_type_id",
        "balance",
        "normal_side",
    )


# PostgreSQL: the shard's reads as plain SELECTs (a statement night reads ~4 rows per account;
# model rows cost more than the query itself at 100,000 accounts).
_BALANCES_SQL = """
SELECT la.margin_account_id, la.account_type_id, b.balance, b.normal_side
FROM custody_ledgerbalance b
JOIN custody_ledgeraccount la ON la.id = b.ledger_account_id
WHERE la.margin_account_id BETWEEN %s AND %s
  AND la.account_type_id = ANY(%s) AND la.currency = %s
"""

_FINANCING_SQL = """
SELECT ma.id, p.code, l."limit", l.valid_to, l.status
FROM credit_creditline l
JOIN custody_marginaccount ma ON ma.client_id = l.client_id
LEFT JOIN credit_creditline_packages lp ON lp.creditline_id = l.id
LEFT JOIN credit_leveragepackage p ON p.id = lp.leveragepackage_id
WHERE ma.id BETWEEN %s AND %s AND l.activated_at IS NOT NULL
ORDER BY l.client_id, l.id DESC, p.display_order, p.code
"""


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class Financing(NamedTuple):
    """The terms an account's debt is charged on: its client's latest activated credit line.

    A named tuple: one is made per account per shard, and tuples are the cheapest immutable
    records."""

    package: str
    credit_limit: Decimal
    valid_to: date
    live: bool


def financing_terms(first: int, last: int) -> dict[int, Financing]:
    """Per margin account: the client's most recent activated line and its first package.

    A line may allow several packages; the account is charged on the one listed first
    (display order, then code). Lines that expired or closed still carry their debt's terms.
    """
    rows: Iterable[tuple[Any, ...]]
    if connection.vendor == "postgresql":
        rows = _fetch(_FINANCING_SQL, [first, last])
    else:
        rows = (
            CreditLine.objects.filter(
                **between("client__margin_account__id", first, last), activated_at__isnull=False
            )
            .order_by("client_id", "-pk", "packages__display_order", "packages__code")
            .values_list(
                "client__margin_account__pk",
                "packages__code",
                "limit",
                "valid_to",
                "status",
            )
        )
    terms: dict[int, Financing] = {}
    for account_id, package, limit, valid_to, status in rows:
        if account_id in terms or package is None:
            continue
        live = status in (CreditLineStatus.ACTIVE, CreditLineStatus.SUSPENDED)
        terms[account_id] = Financing(package, limit, valid_to, live)
    return terms


def keys_posted_on(on: date, first: int, last: int, kinds: Iterable[str]) -> set[str]:
    """Keys of the entries of ``kinds`` dated ``on`` on the shard's accounts.

    One range of the (business date, margin account) index, whatever the ledger's history: the
    clearing's daily keys carry their date, so this is every one of them already posted.
    """
    kinds = [str(k) for k in kinds]
    if connection.vendor == "postgresql":  # plain rows: thousands of keys, no model machinery
        return {key for (key,) in _fetch(_KEYS_POSTED_SQL, [on, first, last, kinds])}
    return set(
        JournalEntry.objects.filter(
            business_date=on, **between("margin_account", first, last), kind__in=kinds
        ).values_list("idempotency_key", flat=True)
    )


_KEYS_POSTED_SQL = """
SELECT idempotency_key FROM custody_journalentry
WHERE business_date = %s AND margin_account_id BETWEEN %s AND %s AND kind = ANY(%s)
"""


def marks_on(on: date) -> dict[int, Decimal]:
    return dict(Mark.objects.filter(business_date=on).values_list("instrument_id", "price"))


def firm_balance_as_of(code: str, on: date, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """The firm's natural balance of ``code`` at the close of ``on``."""
    row = (
        LedgerBalance.objects.filter(
            ledger_account__margin_account__isnull=True,
            ledger_account__account_type_id=code,
            ledger_account__currency=currency,
        )
        .values_list("balance", "normal_side")
        .first()
    )
    if row is None:
        return Decimal("0.00")
    balance, side = row
    if _later_postings_exist(on):
        later = Posting.objects.filter(
            entry__business_date__gt=on,
            ledger_account__margin_account__isnull=True,
            ledger_account__account_type_id=code,
            currency=currency,
        ).aggregate(total=Sum("amount"))["total"]
        balance -= later or 0
    return balance if side == NormalSide.DEBIT else -balance
