"""The margin engine: a float screen over the whole book, exact Decimal before any action.

* :func:`sweep` — every account: load the book (one query per table), compute all ratios with
  a few vector operations, pick the accounts whose call would change, confirm each with exact
  Decimal under its row lock (:func:`risk.margin.services.calls.call_reassess`).
* :func:`tick` — one price batch: only the positions in the instruments that moved (CSR index
  instrument → positions), only the accounts holding them, market values updated by the delta.

The screen is deliberately wider than the lines by a relative ``SCREEN_BAND`` so that float
rounding can never hide an account the exact check would act on; the exact check decides.
A worker keeps the book it loaded for ``BOOK_MAX_AGE_SECONDS``: ticks then cost microseconds,
and balances moved since (deposits, fills) are picked up at the next load — the periodic sweep
always reloads.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.utils import timezone

from risk.margin.book import Book, float_prices, load_book, market_values, ratio_of
from risk.margin.enums import OPEN_CALL_STATUSES, CallStatus
from risk.margin.models import MarginCall
from risk.margin.services.calls import calls_reassess

SCREEN_BAND = 1e-9
BOOK_MAX_AGE_SECONDS = 60.0

NONE, WARNING, ISSUED, LIQUIDATING = 0, 1, 2, 3
_STATE = {
    CallStatus.WARNING: WARNING,
    CallStatus.ISSUED: ISSUED,
    CallStatus.LIQUIDATING: LIQUIDATING,
}
_NEVER = np.iinfo(np.int64).min  # a date ordinal before any day


@dataclass
class Engine:
    """What one worker keeps between ticks: the book, market values and call states."""

    book: Book
    market_value: np.ndarray
    state: np.ndarray  # (A,) int8: NONE / WARNING / ISSUED / LIQUIDATING
    due: np.ndarray  # (A,) int64 ordinal of an issued call's deadline (_NEVER: none)
    held: np.ndarray  # (A,) int64 ordinal of the last day liquidation is held (_NEVER: none)
    loaded_at: float

    @property
    def on(self) -> date:
        return self.book.on


@dataclass
class SweepResult:
    on: date
    accounts: int
    evaluated: int
    candidates: int
    changed: dict[int, str] = field(default_factory=dict)  # account id → call status now
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "accounts": self.accounts,
            "evaluated": self.evaluated,
            "candidates": self.candidates,
            "changed": {str(k): v for k, v in self.changed.items()},
            "seconds": {k: round(v, 6) for k, v in self.seconds.items()},
        }


_engine: Engine | None = None


def reset() -> None:
    """Forget the cached book (tests, and after bulk changes such as nightly clearing)."""
    global _engine
    _engine = None


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day else int(_NEVER)


def _call_states(book: Book) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    state = np.zeros(book.size, dtype=np.int8)
    due = np.full(book.size, _NEVER, dtype=np.int64)
    held = np.full(book.size, _NEVER, dtype=np.int64)
    rows = list(
        MarginCall.objects.filter(status__in=OPEN_CALL_STATUSES).values_list(
            "margin_account_id", "status", "due_on", "liquidation_held_until"
        )
    )
    if not rows:
        return state, due, held
    idx = book.account_index([row[0] for row in rows])
    found = idx >= 0
    state[idx[found]] = [_STATE[row[1]] for row, hit in zip(rows, found, strict=True) if hit]
    due[idx[found]] = [_ordinal(row[2]) for row, hit in zip(rows, found, strict=True) if hit]
    held[idx[found]] = [_ordinal(row[3]) for row, hit in zip(rows, found, strict=True) if hit]
    return state, due, held


def load(on: date) -> Engine:
    """Load the book cold and keep it for the following ticks."""
    global _engine
    book = load_book(on)
    state, due, held = _call_states(book)
    _engine = Engine(book, market_values(book), state, due, held, time.monotonic())
    return _engine


def warm(on: date) -> Engine:
    """The kept book if it is today's and fresh, else a cold load."""
    engine = _engine
    if (
        engine is None
        or engine.on != on
        or time.monotonic() - engine.loaded_at > BOOK_MAX_AGE_SECONDS
    ):
        engine = load(on)
    return engine


def screen(
    engine: Engine, idx: np.ndarray, ratio: np.ndarray, on: date, closing: bool
) -> np.ndarray:
    """Indices (into the book) of accounts whose call may change: the exact check decides."""
    book = engine.book
    up, down = 1.0 + SCREEN_BAND, 1.0 - SCREEN_BAND
    below_warning = ratio < book.warning_line[idx] * up
    below_liquidation = ratio < book.liquidation_line[idx] * up
    at_warning = ratio >= book.warning_line[idx] * down
    at_target = ratio >= book.topup_target[idx] * down
    state = engine.state[idx]
    today = on.toordinal()
    free = engine.held[idx] < today
    wanted = np.where(
        state == NONE,
        below_warning,
        np.where(
            state == WARNING,
            at_warning | (below_liquidation & free) | closing,
            np.where(
                state == ISSUED,
                at_target | (below_liquidation & free) | ((engine.due[idx] < today) & free),
                at_target,
            ),
        ),
    )
    return idx[wanted]


ACT_BATCH = 500  # accounts locked per transaction when many change at once


def _act(engine: Engine, candidates: np.ndarray, on: date, closing: bool) -> dict[int, str]:
    changed: dict[int, str] = {}
    book = engine.book
    for start in range(0, candidates.size, ACT_BATCH):
        chunk = candidates[start : start + ACT_BATCH]
        ids = [int(book.account_ids[i]) for i in chunk.tolist()]
        calls = calls_reassess(ids, actor=None, on=on, closing=closing)
        for i, account_id in zip(chunk.tolist(), ids, strict=True):
            before = int(engine.state[i])
            call = calls.get(account_id)
            now = _STATE.get(call.status, NONE) if call is not None else NONE
            engine.state[i] = now
            engine.due[i] = call.due_on.toordinal() if call and call.due_on and now else _NEVER
            held_until = call.liquidation_held_until if call and now else None
            engine.held[i] = held_until.toordinal() if held_until else _NEVER
            if call is not None and (now != before or not call.is_open):
                changed[account_id] = str(call.status)
    return changed


def sweep(on: date | None = None, *, closing: bool = False, cold: bool = True) -> SweepResult:
    """Every account in the book; ``cold`` reloads it from the database (the periodic sweep)."""
    day = on or timezone.localdate()
    started = time.perf_counter()
    engine = load(day) if cold else warm(day)
    loaded = time.perf_counter()
    book = engine.book
    engine.market_value = market_values(book)
    ratio = ratio_of(book.cash + engine.market_value, book.debt)
    candidates = screen(engine, np.arange(book.size), ratio, day, closing)
    screened = time.perf_counter()
    changed = _act(engine, candidates, day, closing)
    done = time.perf_counter()
    return SweepResult(
        day,
        book.size,
        book.size,
        int(candidates.size),
        changed,
        {"load": loaded - started, "screen": screened - loaded, "act": done - screened},
    )


def reprice(engine: Engine, instrument_ids: list[int], on: date) -> np.ndarray:
    """Apply new prices to the kept book; returns the indices of the accounts that hold them."""
    book = engine.book
    idx = book.instrument_index(instrument_ids)
    idx = np.unique(idx[idx >= 0])
    if idx.size == 0:
        return np.empty(0, dtype=np.int64)
    ids, priced = float_prices(on, book.instrument_ids[idx].tolist())
    new = book.prices[idx].copy()
    new[np.searchsorted(book.instrument_ids[idx], ids)] = priced
    step = np.zeros(book.instrument_ids.shape[0])
    step[idx] = new - book.prices[idx]
    book.prices[idx] = new
    positions = book.positions_of(idx)
    holders, inverse = np.unique(book.pos_account[positions], return_inverse=True)
    delta = book.pos_quantity[positions] * step[book.pos_instrument[positions]]
    engine.market_value[holders] += np.bincount(inverse, weights=delta, minlength=holders.size)
    return holders.astype(np.int64)


def tick(
    instrument_ids: list[int], *, on: date | None = None, closing: bool = False
) -> SweepResult:
    """A price batch: re-evaluate only the accounts holding the instruments that moved."""
    day = on or timezone.localdate()
    started = time.perf_counter()
    engine = warm(day)
    loaded = time.perf_counter()
    holders = reprice(engine, list(instrument_ids), day)
    book = engine.book
    ratio = ratio_of(book.cash[holders] + engine.market_value[holders], book.debt[holders])
    candidates = screen(engine, holders, ratio, day, closing)
    screened = time.perf_counter()
    changed = _act(engine, candidates, day, closing)
    done = time.perf_counter()
    return SweepResult(
        day,
        book.size,
        int(holders.size),
        int(candidates.size),
        changed,
        {"load": loaded - started, "screen": screened - loaded, "act": done - screened},
    )


def margin_on_tick(price_tick: Any) -> None:
    """Price listener (``markets.feeds``): queue the tick for a worker."""
    from risk.margin.tasks import margin_tick_task

    margin_tick_task.delay(list(price_tick.instrument_ids), closing=bool(price_tick.closing))
