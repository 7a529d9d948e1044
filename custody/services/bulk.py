"""The bulk posting path for batch jobs (nightly clearing): many entries, few round trips.

On PostgreSQL entries and postings go in with ``COPY`` (psycopg 3), and the running balances are
moved by one set-based ``UPDATE … FROM unnest(…)``; on SQLite (the embedded default) the same
happens with ``bulk_create`` and per-account updates. Entries whose key is already posted are
skipped (same legs) or refused (other legs), so a batch can be re-run after a crash.

The no-negative-cash rule is checked on each account's net change over the batch: a batch is
one business event (a day's clearing), not a sequence of client instructions. The deferred
triggers still check every entry balances at commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation

from core.batch import cyclic_gc_paused
from core.exceptions import IdempotencyConflict
from custody.models import JournalEntry, Posting
from custody.services.bulk_copy import add_deltas, copy_entries
from custody.services.ledger import (
    EntrySpec,
    apply_deltas,
    chart,
    check_non_negative,
    lock_balances,
    resolve_accounts,
    validate_entry,
)

KEY_CHUNK = 5000
ENTRY_KEY_CONSTRAINT = "one_entry_per_key"  # custody.JournalEntry.Meta


@dataclass(frozen=True)
class BulkResult:
    entries_posted: int
    postings_written: int
    entries_skipped: int


def _already_posted(specs: Sequence[EntrySpec]) -> set[str]:
    by_key = {spec.key: spec for spec in specs}
    keys = list(by_key)
    done: set[str] = set()
    for key, fingerprint in _existing_keys(keys):
        if by_key[key].fingerprint() != fingerprint:
            raise IdempotencyConflict(
                f"entry key {key!r} was already used for a different entry; nothing posted"
            )
        done.add(key)
    return done


def posted_keys(keys: Sequence[str]) -> set[str]:
    """The entry keys among ``keys`` already posted (one indexed query per 5,000 on SQLite,
    one array parameter on PostgreSQL): batch jobs use it to build only what is missing."""
    return {key for key, _fingerprint in _existing_keys(list(keys))} if keys else set()


KEY_SEPARATOR = "\x1f"  # ASCII unit separator: never part of an entry key (validate_entry)


def _existing_keys(keys: list[str]) -> list[tuple[str, str]]:
    if connection.vendor == "postgresql":
        # One text parameter split on the server: a 100,000-element array parameter costs the
        # client a regular-expression check per element to quote it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT idempotency_key, fingerprint FROM custody_journalentry "
                "WHERE idempotency_key = ANY(string_to_array(%s, %s))",
                [KEY_SEPARATOR.join(keys), KEY_SEPARATOR],
            )
            return list(cursor.fetchall())
    found: list[tuple[str, str]] = []
    for start in range(0, len(keys), KEY_CHUNK):
        found.extend(
            JournalEntry.objects.filter(
                idempotency_key__in=keys[start : start + KEY_CHUNK]
            ).values_list("idempotency_key", "fingerprint")
        )
    return found


@transaction.atomic
def post_entries_bulk(*, entries: Sequence[EntrySpec], created_by: Any = None) -> BulkResult:
    """Post many balanced entries at once; all or nothing.

    On PostgreSQL the entries are validated while they stream to the server, in pipelined
    rounds (:mod:`custody.services.bulk_copy`); an invalid entry aborts the transaction, so
    nothing of the batch stays written.
    """
    with cyclic_gc_paused():
        return _post(entries, created_by)


def _post(entries: Sequence[EntrySpec], created_by: Any) -> BulkResult:
    keys = [spec.key for spec in entries]
    if len(set(keys)) != len(keys):
        raise IdempotencyConflict("the batch repeats an entry key; nothing posted")
    if not entries:
        return BulkResult(0, 0, 0)
    if connection.vendor != "postgresql":
        for spec in entries:
            validate_entry(spec)
        return _post_new(entries, _already_posted(entries), created_by)
    # Batch steps leave out what they have already posted, so a batch is nearly always new:
    # post it as new, and only if the unique key refuses one (a rerun, a concurrent batch)
    # roll back to the savepoint and take the careful path (skip the same, refuse the changed).
    try:
        with transaction.atomic():
            return _post_new(entries, set(), created_by)
    except UniqueViolation as exc:
        if exc.diag.constraint_name != ENTRY_KEY_CONSTRAINT:
            raise
    return _post_new(entries, _already_posted(entries), created_by)


def _post_new(entries: Sequence[EntrySpec], done: set[str], created_by: Any) -> BulkResult:
    """Post every entry whose key is not in ``done``."""
    todo = [spec for spec in entries if spec.key not in done]
    if not todo:
        return BulkResult(0, 0, len(done))
    # Each leg's account key is built once: batch jobs pass hundreds of thousands of legs.
    legs = [[leg.account_key for leg in spec.legs] for spec in todo]
    wanted = {key for keys_of_entry in legs for key in keys_of_entry}
    _refuse_unknown_codes(todo, {code for _account, code, _ccy in wanted})
    ids = resolve_accounts(wanted)
    user_id = created_by.pk if getattr(created_by, "is_authenticated", False) else None
    postgres = connection.vendor == "postgresql"
    if postgres:
        written, deltas = copy_entries(todo, legs, ids, user_id)
    else:
        written = _bulk_create(todo, ids, user_id)
        deltas = defaultdict(Decimal)
        add_deltas(deltas, todo, legs, ids)
    locked = lock_balances(deltas)
    check_non_negative(locked, {k: v for k, v in deltas.items() if v})
    if postgres:
        _update_balances_postgres(deltas)
    else:
        apply_deltas(deltas)
    return BulkResult(len(todo), written, len(done))


def _refuse_unknown_codes(todo: Sequence[EntrySpec], codes: set[str]) -> None:
    """Ledger accounts are created before the stream validates each entry: a code outside the
    chart is refused first, with the entry that names it."""
    unknown = codes - set(chart())
    if unknown:
        for spec in todo:
            if any(leg.code in unknown for leg in spec.legs):
                validate_entry(spec)


def _bulk_create(todo: Sequence[EntrySpec], ids: dict[Any, int], user_id: int | None) -> int:
    now = timezone.now()
    entries = JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                business_date=spec.business_date,
                kind=spec.kind,
                memo=spec.memo[:200],
                idempotency_key=spec.key,
                fingerprint=spec.fingerprint(),
                margin_account_id=spec.margin_account_id,
                created_by_id=user_id,
                created_at=now,
            )
            for spec in todo
        ]
    )
    postings = [
        Posting(
            entry_id=entry.pk,
            ledger_account_id=ids[leg.account_key],
            amount=leg.amount,
            currency=leg.currency,
        )
        for entry, spec in zip(entries, todo, strict=True)
        for leg in spec.legs
    ]
    Posting.objects.bulk_create(postings, batch_size=2000)
    return len(postings)


def _update_balances_postgres(deltas: dict[int, Decimal]) -> None:
    """One set-based UPDATE for every touched balance (ids and deltas as two array parameters)."""
    moved = sorted((k, v) for k, v in deltas.items() if v)
    if not moved:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE custody_ledgerbalance AS b "
            "SET balance = b.balance + v.delta, version = b.version + 1 "
            "FROM (SELECT * FROM unnest(%s::bigint[], %s::numeric[])) AS v(id, delta) "
            "WHERE b.ledger_account_id = v.id",
            [[k for k, _ in moved], [v for _, v in moved]],
        )
