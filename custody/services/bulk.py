"""The bulk posting path for batch jobs (nightly clearing): many entries, few round trips.

On PostgreSQL entries and postings go in with ``COPY`` (psycopg 3), and the running balances are
moved by one set-based ``UPDATE … FROM (VALUES …)``; on SQLite (the embedded default) the same
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

from core.exceptions import IdempotencyConflict
from custody.models import JournalEntry, Posting
from custody.services.ledger import (
    EntrySpec,
    apply_deltas,
    check_non_negative,
    lock_balances,
    resolve_accounts,
    validate_entry,
)

KEY_CHUNK = 5000
COPY_CHUNK = 5000


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


def _existing_keys(keys: list[str]) -> list[tuple[str, str]]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT idempotency_key, fingerprint FROM custody_journalentry "
                "WHERE idempotency_key = ANY(%s)",
                [keys],
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
    """Post many balanced entries at once; all or nothing."""
    keys = [spec.key for spec in entries]
    if len(set(keys)) != len(keys):
        raise IdempotencyConflict("the batch repeats an entry key; nothing posted")
    if not entries:
        return BulkResult(0, 0, 0)
    for spec in entries:
        validate_entry(spec)
    done = _already_posted(entries)
    todo = [spec for spec in entries if spec.key not in done]
    if not todo:
        return BulkResult(0, 0, len(done))
    # Each leg's account key is built once: batch jobs pass hundreds of thousands of legs.
    legs = [[leg.account_key for leg in spec.legs] for spec in todo]
    ids = resolve_accounts({key for keys_of_entry in legs for key in keys_of_entry})
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    for spec, keys_of_entry in zip(todo, legs, strict=True):
        for leg, key in zip(spec.legs, keys_of_entry, strict=True):
            deltas[ids[key]] += leg.amount
    locked = lock_balances(deltas)
    check_non_negative(locked, {k: v for k, v in deltas.items() if v})
    user_id = created_by.pk if getattr(created_by, "is_authenticated", False) else None
    if connection.vendor == "postgresql":
        written = _copy_postgres(todo, [[ids[k] for k in ks] for ks in legs], deltas, user_id)
    else:
        written = _bulk_create(todo, ids, user_id)
        apply_deltas(deltas)
    return BulkResult(len(todo), written, len(done))


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


def _text(value: Any) -> str:
    # COPY text format: \N is NULL; our values never hold tabs, newlines or backslashes except
    # memos, which are escaped here.
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_postgres(
    todo: Sequence[EntrySpec],
    account_ids: list[list[int]],
    deltas: dict[int, Decimal],
    user_id: int | None,
) -> int:
    now = timezone.now().isoformat()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg 3 cursor underneath
        cursor.execute(
            "SELECT array_agg(nextval(pg_get_serial_sequence('custody_journalentry', 'id'))) "
            "FROM generate_series(1, %s)",
            [len(todo)],
        )
        entry_ids = sorted(cursor.fetchone()[0])
        postings: list[str] = []
        tail = f"\t{_text(user_id)}\t{now}\n"
        with cursor.copy(
            "COPY custody_journalentry (id, business_date, kind, memo, idempotency_key, "
            "fingerprint, margin_account_id, created_by_id, created_at) FROM STDIN"
        ) as copy:
            # Stream in chunks: the server stores one chunk while the next one is formatted.
            chunk: list[str] = []
            for entry_id, spec, ledger_ids in zip(entry_ids, todo, account_ids, strict=True):
                chunk.append(
                    f"{entry_id}\t{spec.business_date}\t{spec.kind}\t{_text(spec.memo[:200])}"
                    f"\t{_text(spec.key)}\t{spec.fingerprint()}\t{_text(spec.margin_account_id)}"
                    f"{tail}"
                )
                postings.extend(
                    f"{entry_id}\t{ledger_id}\t{leg.amount}\t{leg.currency}\n"
                    for leg, ledger_id in zip(spec.legs, ledger_ids, strict=True)
                )
                if len(chunk) >= COPY_CHUNK:
                    copy.write("".join(chunk))
                    chunk = []
            copy.write("".join(chunk))
        with cursor.copy(
            "COPY custody_posting (entry_id, ledger_account_id, amount, currency) FROM STDIN"
        ) as copy:
            for start in range(0, len(postings), COPY_CHUNK):
                copy.write("".join(postings[start : start + COPY_CHUNK]))
        _update_balances_postgres(cursor, deltas)
    return len(postings)


def _update_balances_postgres(cursor: Any, deltas: dict[int, Decimal]) -> None:
    """One set-based UPDATE for every touched balance (ids and deltas as two array parameters)."""
    moved = sorted((k, v) for k, v in deltas.items() if v)
    if not moved:
        return
    cursor.execute(
        "UPDATE custody_ledgerbalance AS b "
        "SET balance = b.balance + v.delta, version = b.version + 1 "
        "FROM (SELECT * FROM unnest(%s::bigint[], %s::numeric[])) AS v(id, delta) "
        "WHERE b.ledger_account_id = v.id",
        [[k for k, _ in moved], [v for _, v in moved]],
    )
