"""The PostgreSQL half of the bulk posting path: entries and postings streamed with ``COPY``.

The work has two sides of about the same size: this process validates, fingerprints and
formats every entry (pure Python), and the server parses and indexes the rows. On one
connection the two only overlap inside a ``COPY``, so the batch goes in rounds, pipelined:

    round r:  COPY postings r   — meanwhile: validate entries r+1, format their postings
              COPY entries r    — meanwhile: fingerprint and format entries r+1, sum r's deltas

(the two halves of the preparation cost about what the server spends on each table).

Rows are handed to a writer thread (psycopg's ``QueuedLibpqWriter``), so this thread never
waits on the socket while it prepares the next round. The first round is small, so little
preparation happens before the server has anything to do. Entries are validated in the
stream: an invalid one aborts the ``COPY`` and the transaction, so nothing of the batch stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from custody.services.ledger import AccountKey, EntrySpec, validate_entry

FIRST_ROUND = 2_000  # entries prepared before the server has anything to store
ROUND = 10_000  # entries per round after that

COPY_POSTINGS = "COPY custody_posting (entry_id, ledger_account_id, amount, currency) FROM STDIN"
COPY_ENTRIES = (
    "COPY custody_journalentry (id, business_date, kind, memo, idempotency_key, fingerprint, "
    "margin_account_id, created_by_id, created_at) FROM STDIN"
)

# COPY text format: \N is NULL, and backslash, tab, newline and carriage return are escaped
# (memos and keys are the only free text; one C-level translate per value).
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    return str(value).translate(_COPY_ESCAPES)


def add_deltas(
    deltas: dict[int, Decimal],
    specs: Sequence[EntrySpec],
    legs: Sequence[list[AccountKey]],
    ids: dict[AccountKey, int],
) -> None:
    """Sum each ledger account's movement over ``specs`` into ``deltas``."""
    for spec, keys_of_entry in zip(specs, legs, strict=True):
        for leg, key in zip(spec.legs, keys_of_entry, strict=True):
            deltas[ids[key]] += leg.amount


@dataclass
class _Round:
    start: int
    stop: int
    entries: list[str] = field(default_factory=list)
    postings: list[str] = field(default_factory=list)


def _rounds(count: int) -> list[_Round]:
    bounds = [0, min(FIRST_ROUND, count)]
    while bounds[-1] < count:
        bounds.append(min(bounds[-1] + ROUND, count))
    return [_Round(lo, hi) for lo, hi in zip(bounds, bounds[1:], strict=False)]


class _Batch:
    """What every round needs: the specs, their account keys and ids, the entry ids."""

    def __init__(
        self,
        todo: Sequence[EntrySpec],
        legs: Sequence[list[AccountKey]],
        ids: dict[AccountKey, int],
        entry_ids: list[int],
        user_id: int | None,
    ) -> None:
        self.todo, self.legs, self.ids, self.entry_ids = todo, legs, ids, entry_ids
        self.tail = f"\t{copy_text(user_id)}\t{timezone.now().isoformat()}\n"

    def prepare_entries(self, r: _Round) -> None:
        """The entries' rows (validated already, by :meth:`prepare_postings`)."""
        tail = self.tail
        for entry_id, spec in zip(
            self.entry_ids[r.start : r.stop], self.todo[r.start : r.stop], strict=True
        ):
            r.entries.append(
                f"{entry_id}\t{spec.business_date}\t{spec.kind}\t{copy_text(spec.memo[:200])}"
                f"\t{copy_text(spec.key)}\t{spec.fingerprint()}\t{copy_text(spec.margin_account_id)}"
                f"{tail}"
            )

    def prepare_postings(self, r: _Round) -> None:
        """Validate the round's entries and format their postings' rows."""
        ids = self.ids
        for entry_id, spec, keys_of_entry in zip(
            self.entry_ids[r.start : r.stop],
            self.todo[r.start : r.stop],
            self.legs[r.start : r.stop],
            strict=True,
        ):
            validate_entry(spec)
            r.postings.extend(
                f"{entry_id}\t{ids[key]}\t{leg.amount}\t{leg.currency}\n"
                for leg, key in zip(spec.legs, keys_of_entry, strict=True)
            )


def copy_entries(
    todo: Sequence[EntrySpec],
    legs: Sequence[list[AccountKey]],
    ids: dict[AccountKey, int],
    user_id: int | None,
) -> tuple[int, dict[int, Decimal]]:
    """COPY ``todo`` and its postings in pipelined rounds; return (postings written, deltas)."""
    deltas: dict[int, Decimal] = defaultdict(Decimal)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg 3 cursor underneath
        # The sequence's name is looked up once: inside the aggregate, PostgreSQL would resolve
        # it for every id (0.2 s per 100,000 instead of 0.03 s).
        cursor.execute("SELECT pg_get_serial_sequence('custody_journalentry', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
            [sequence, len(todo)],
        )
        batch = _Batch(todo, legs, ids, sorted(cursor.fetchone()[0]), user_id)
        rounds = _rounds(len(todo))
        batch.prepare_postings(rounds[0])
        batch.prepare_entries(rounds[0])
        written = 0
        for current, following in zip(rounds, [*rounds[1:], None], strict=True):
            with cursor.copy(COPY_POSTINGS, writer=QueuedLibpqWriter(cursor)) as copy:
                copy.write("".join(current.postings))
                written += len(current.postings)
                if following is not None:
                    batch.prepare_postings(following)
            with cursor.copy(COPY_ENTRIES, writer=QueuedLibpqWriter(cursor)) as copy:
                copy.write("".join(current.entries))
                if following is not None:
                    batch.prepare_entries(following)
                add_deltas(
                    deltas,
                    todo[current.start : current.stop],
                    legs[current.start : current.stop],
                    ids,
                )
            current.entries, current.postings = [], []  # the round is stored: free its text
    return written, deltas
