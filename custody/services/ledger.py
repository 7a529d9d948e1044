"""Posting to the ledger: one entry at a time (services) and reversals.

Every amount is debit-positive (see ``custody.models.ledger``). ``post_entry`` is the one door
through which money enters the ledger: it validates the legs, locks the running balances it
touches in primary-key order, refuses anything that would take client cash below zero, writes
the entry and its postings and moves the balances with ``F()``. It is idempotent on the entry
key: the same key with the same legs returns the first entry; with other legs it is refused.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q

from core.exceptions import IdempotencyConflict, InvalidInput
from core.money import DEFAULT_CURRENCY, format_money, to_decimal
from custody.enums import AccountScope, EntryKind, NormalSide
from custody.models import (
    JournalEntry,
    LedgerAccount,
    LedgerAccountType,
    LedgerBalance,
    MarginAccount,
    Posting,
)

AccountKey = tuple[int | None, str, str]
_ENTRY_KINDS = frozenset(EntryKind.values)  # (margin account id or None for the firm, code, ccy)


@dataclass(frozen=True)
class Leg:
    """One side of an entry: ``amount`` is debit-positive (a credit is negative)."""

    code: str
    amount: Decimal
    margin_account_id: int | None = None
    currency: str = DEFAULT_CURRENCY

    @property
    def account_key(self) -> AccountKey:
        return (self.margin_account_id, str(self.code), self.currency)


def debit(code: str, amount: Any, account: MarginAccount | None = None, **kw: Any) -> Leg:
    return Leg(code=code, amount=to_decimal(amount), margin_account_id=_id(account), **kw)


def credit(code: str, amount: Any, account: MarginAccount | None = None, **kw: Any) -> Leg:
    return Leg(code=code, amount=-to_decimal(amount), margin_account_id=_id(account), **kw)


def _id(account: MarginAccount | None) -> int | None:
    return account.pk if account is not None else None


@dataclass(frozen=True)
class EntrySpec:
    """A balanced entry to be posted (used by ``post_entry`` and the bulk path)."""

    key: str
    kind: str
    business_date: date
    legs: Sequence[Leg]
    memo: str = ""
    margin_account_id: int | None = None

    def fingerprint(self) -> str:
        """What the entry does (not its memo): the same key must always mean the same entry."""
        legs = sorted(
            f"{leg.margin_account_id}:{leg.code}:{leg.currency}:{leg.amount}" for leg in self.legs
        )
        body = f"{self.kind}|{self.business_date}|{';'.join(legs)}"
        return hashlib.sha256(body.encode()).hexdigest()


# --- the chart, cached per process (it is seeded data and changes only by migration) --------

_chart: dict[str, LedgerAccountType] = {}


def chart() -> dict[str, LedgerAccountType]:
    if not _chart:
        _chart.update(LedgerAccountType.objects.in_bulk())
    return _chart


def _account_type(code: str) -> LedgerAccountType:
    types = chart()
    if code not in types:
        _chart.clear()
        types = chart()
    if code not in types:
        raise InvalidInput(f"{code!r} is not in the chart of accounts", field="code")
    return types[code]


# --- validation -------------------------------------------------------------------------------


_CENT_EXPONENT = -2


def _validate_leg(leg: Leg, key: str) -> None:
    if not isinstance(leg.amount, Decimal):
        raise InvalidInput(f"entry {key}: amounts must be Decimal", field="amount")
    if leg.amount == 0:
        raise InvalidInput(
            f"entry {key}: a posting of zero to {leg.code} is refused", field="amount"
        )
    exponent = leg.amount.as_tuple().exponent
    if not isinstance(exponent, int) or (
        exponent < _CENT_EXPONENT and leg.amount != leg.amount.quantize(Decimal("0.01"))
    ):
        raise InvalidInput(
            f"entry {key}: amount {leg.amount} for {leg.code} has more than two decimal places; "
            "round it with core.money.quantize_money first",
            field="amount",
        )
    types = _chart if leg.code in _chart else chart()
    scope = (types[leg.code] if leg.code in types else _account_type(leg.code)).scope
    if scope == AccountScope.CLIENT and leg.margin_account_id is None:
        raise InvalidInput(f"entry {key}: {leg.code} needs a margin account", field="code")
    if scope == AccountScope.FIRM and leg.margin_account_id is not None:
        raise InvalidInput(f"entry {key}: {leg.code} is a firm account", field="code")


def validate_entry(spec: EntrySpec) -> None:
    """Refuse an entry that is not two or more non-zero legs summing to zero per currency."""
    if not spec.key or len(spec.key) > 160 or not spec.key.isprintable():
        raise InvalidInput(
            "an entry key of 1–160 printable characters (no tabs or control characters) is "
            "required",
            field="key",
        )
    if spec.kind not in _ENTRY_KINDS:
        raise InvalidInput(f"entry {spec.key}: unknown kind {spec.kind!r}", field="kind")
    if len(spec.legs) < 2:
        raise InvalidInput(
            f"entry {spec.key}: a journal entry needs at least two postings, got {len(spec.legs)}",
            field="legs",
        )
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for leg in spec.legs:
        _validate_leg(leg, spec.key)
        totals[leg.currency] += leg.amount
    unbalanced = {ccy: total for ccy, total in totals.items() if total != 0}
    if unbalanced:
        detail = ", ".join(f"{ccy} debits exceed credits by {t}" for ccy, t in unbalanced.items())
        raise InvalidInput(
            f"entry {spec.key} does not balance: {detail}; postings must sum to zero per currency",
            field="legs",
        )


# --- ledger accounts and balances -------------------------------------------------------------


def resolve_accounts(keys: Iterable[AccountKey]) -> dict[AccountKey, int]:
    """Ledger account ids for ``keys``, creating missing accounts (and balance rows) in bulk."""
    wanted = set(keys)
    found = _lookup_accounts(wanted)
    missing = wanted - set(found)
    if missing:
        LedgerAccount.objects.bulk_create(
            [
                LedgerAccount(margin_account_id=m, account_type_id=c, currency=ccy)
                for m, c, ccy in missing
            ],
            ignore_conflicts=True,
        )
        found.update(_lookup_accounts(missing))
        types = chart()
        LedgerBalance.objects.bulk_create(
            [
                LedgerBalance(
                    ledger_account_id=found[k],
                    normal_side=types[k[1]].normal_side,
                    non_negative=types[k[1]].non_negative,
                )
                for k in missing
            ],
            ignore_conflicts=True,
        )
    return found


def _lookup_accounts(keys: set[AccountKey]) -> dict[AccountKey, int]:
    if not keys:
        return {}
    margin_ids = sorted({m for m, _, _ in keys if m is not None})
    codes = sorted({c for _, c, _ in keys})
    with_firm = any(m is None for m, _, _ in keys)
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of placeholders (batch jobs pass many),
        # joined rather than tested with ``= ANY`` under an ``OR``: that form made the planner
        # scan every account of the codes and compare each with the whole array (about a second
        # per 10,000 accounts); the join probes the (margin account, code, currency) index.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT la.id, la.margin_account_id, la.account_type_id, la.currency "
                "FROM unnest(%s::bigint[]) AS m(id) "
                "JOIN custody_ledgeraccount la ON la.margin_account_id = m.id "
                "WHERE la.account_type_id = ANY(%s) "
                "UNION ALL "
                "SELECT id, margin_account_id, account_type_id, currency "
                "FROM custody_ledgeraccount "
                "WHERE %s AND margin_account_id IS NULL AND account_type_id = ANY(%s)",
                [margin_ids, codes, with_firm, codes],
            )
            rows = cursor.fetchall()
    else:
        where = Q(margin_account_id__in=margin_ids)
        if with_firm:
            where |= Q(margin_account__isnull=True)
        rows = list(
            LedgerAccount.objects.filter(where, account_type_id__in=codes).values_list(
                "pk", "margin_account_id", "account_type_id", "currency"
            )
        )
    result: dict[AccountKey, int] = {}
    for pk, m, c, ccy in rows:
        if (m, c, ccy) in keys:
            result[(m, c, ccy)] = pk
    return result


def lock_balances(ledger_account_ids: Iterable[int]) -> dict[int, LedgerBalance]:
    """Lock balance rows in primary-key order (the one order every service uses: no deadlocks)."""
    ids = sorted(set(ledger_account_ids))
    if connection.vendor == "postgresql":
        rows = LedgerBalance.objects.raw(
            "SELECT * FROM custody_ledgerbalance WHERE ledger_account_id = ANY(%s) "
            "ORDER BY ledger_account_id FOR UPDATE",
            [ids],
        )
        return {row.ledger_account_id: row for row in rows}
    locked = LedgerBalance.objects.select_for_update().filter(ledger_account_id__in=ids)
    return {row.ledger_account_id: row for row in locked.order_by("pk")}


def _natural(side: str, balance: Decimal) -> Decimal:
    return balance if side == NormalSide.DEBIT else -balance


def check_non_negative(locked: dict[int, LedgerBalance], deltas: dict[int, Decimal]) -> None:
    for account_id, delta in deltas.items():
        row = locked[account_id]
        if not row.non_negative:
            continue
        after = _natural(row.normal_side, row.balance + delta)
        if after < 0:
            account = LedgerAccount.objects.select_related("margin_account").get(pk=account_id)
            before = _natural(row.normal_side, row.balance)
            raise InvalidInput(
                f"{account.account_type_id} of {account.margin_account or 'the firm'} would fall "
                f"below zero: it holds {format_money(before, account.currency)} and "
                f"{format_money(-_natural(row.normal_side, delta), account.currency)} is needed",
                field="amount",
            )


def apply_deltas(deltas: dict[int, Decimal]) -> None:
    for account_id in sorted(deltas):
        LedgerBalance.objects.filter(pk=account_id).update(
            balance=F("balance") + deltas[account_id], version=F("version") + 1
        )


# --- posting ----------------------------------------------------------------------------------


def _existing(spec: EntrySpec) -> JournalEntry | None:
    entry = JournalEntry.objects.filter(idempotency_key=spec.key).first()
    if entry is not None and entry.fingerprint != spec.fingerprint():
        raise IdempotencyConflict(
            f"entry key {spec.key!r} was already used for a different entry; "
            "use a new key for a new entry"
        )
    return entry


@transaction.atomic
def post_entry(
    *,
    key: str,
    kind: str,
    business_date: date,
    legs: Sequence[Leg],
    memo: str = "",
    margin_account: MarginAccount | None = None,
    created_by: Any = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry; return it (or the entry already posted under ``key``)."""
    spec = EntrySpec(key, kind, business_date, list(legs), memo, _id(margin_account))
    validate_entry(spec)
    if (entry := _existing(spec)) is not None:
        return entry
    ids = resolve_accounts(leg.account_key for leg in spec.legs)
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for leg in spec.legs:
        deltas[ids[leg.account_key]] += leg.amount
    locked = lock_balances(deltas)
    # Re-check under the locks: a concurrent request with this key may have committed meanwhile.
    if (entry := _existing(spec)) is not None:
        return entry
    check_non_negative(locked, deltas)
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                business_date=business_date,
                kind=kind,
                memo=memo[:200],
                idempotency_key=key,
                fingerprint=spec.fingerprint(),
                margin_account=margin_account,
                created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
                reverses=reverses,
            )
    except IntegrityError as exc:
        if reverses is not None and JournalEntry.objects.filter(reverses=reverses).exists():
            raise InvalidInput(f"entry #{reverses.pk} is already reversed", field="entry") from exc
        raise IdempotencyConflict(
            f"entry key {key!r} was already used for a different entry"
        ) from exc
    Posting.objects.bulk_create(
        [
            Posting(
                entry=entry,
                ledger_account_id=ids[leg.account_key],
                amount=leg.amount,
                currency=leg.currency,
            )
            for leg in spec.legs
        ]
    )
    apply_deltas(deltas)
    return entry


def entry_legs(entry: JournalEntry) -> list[Leg]:
    rows = entry.postings.select_related("ledger_account").order_by("pk")
    return [
        Leg(
            code=p.ledger_account.account_type_id,
            amount=p.amount,
            margin_account_id=p.ledger_account.margin_account_id,
            currency=p.currency,
        )
        for p in rows
    ]


@transaction.atomic
def entry_reverse(
    *, entry: JournalEntry, reason: str, by: Any, business_date: date | None = None
) -> JournalEntry:
    """Post the mirror image of ``entry``, linked to it; reversing twice returns the first."""
    if not reason.strip():
        raise InvalidInput("say why the entry is reversed", field="reason")
    if entry.kind == EntryKind.REVERSAL:
        raise InvalidInput(
            f"entry #{entry.pk} is itself a reversal; post a new entry instead", field="entry"
        )
    legs = [
        Leg(leg.code, -leg.amount, leg.margin_account_id, leg.currency) for leg in entry_legs(entry)
    ]
    return post_entry(
        key=f"reversal-of-{entry.pk}",
        kind=EntryKind.REVERSAL,
        business_date=business_date or entry.business_date,
        legs=legs,
        memo=f"reverses #{entry.pk}: {reason.strip()}",
        margin_account=entry.margin_account,
        created_by=by,
        reverses=entry,
    )
