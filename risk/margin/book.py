"""The margin book as numpy arrays: every account, position and price, loaded with one query
per table, so a full sweep over the book is a handful of vector operations.

Floats are for screening only. Money decisions are confirmed with exact Decimal (see
:mod:`risk.margin.exact`) before anything is persisted or anyone is notified.

The big tables (positions, ledger balances, lines) are read with
:func:`risk.margin.fetch.fetch_columns`: on PostgreSQL one packed value per query that numpy
reads in place, no Python object per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connections
from django.utils import timezone

from core import params
from core.exceptions import ParameterMissing
from credit.haircuts import haircut_for, suspended_instrument_ids
from credit.keys import REGULATORY_SET
from credit.rules import PackageTerms
from custody.enums import ChartCode, MarginAccountStatus, NormalSide
from markets.models import Instrument
from markets.selectors import latest_prices
from risk.margin.fetch import fetch_columns
from risk.margin.terms import package_code_array, terms_by_code


@dataclass
class Book:
    on: date
    account_ids: np.ndarray  # (A,) int64 MarginAccount pks, sorted
    cash: np.ndarray  # (A,) float64 client cash
    debt: np.ndarray  # (A,) float64 principal + accrued interest + fees
    warning_line: np.ndarray  # (A,) float64 from each account's package terms (1.4 = 140%)
    liquidation_line: np.ndarray  # (A,)
    topup_target: np.ndarray  # (A,)
    instrument_ids: np.ndarray  # (I,) int64
    prices: np.ndarray  # (I,) float64 last price
    pos_account: np.ndarray  # (P,) int32 index into account_ids
    pos_instrument: np.ndarray  # (P,) int32 index into instrument_ids
    pos_quantity: np.ndarray  # (P,) float64
    pos_sellable: np.ndarray  # (P,) float64
    pos_haircut: np.ndarray  # (P,) float64 collateral haircut
    # Added for the engine: which package governs each account ("" = none), and the CSR
    # index instrument → positions, so a tick touches only the positions it moves.
    package_codes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    inst_indptr: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    inst_positions: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    terms: dict[str, PackageTerms | None] = field(default_factory=dict)
    # (A × I) sparse holdings, built on first use: a full revaluation is one sparse
    # matrix-vector product instead of a gather, a multiply and a bincount over P positions.
    holdings: Any = None

    @property
    def size(self) -> int:
        return int(self.account_ids.shape[0])

    def account_index(self, account_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Positions of ``account_ids`` in the book (-1 where not in it)."""
        wanted = np.asarray(account_ids, dtype=np.int64)
        if self.size == 0:
            return np.full(wanted.shape, -1, dtype=np.int64)
        idx = np.minimum(np.searchsorted(self.account_ids, wanted), self.size - 1)
        return np.where(self.account_ids[idx] == wanted, idx, -1)

    def instrument_index(self, instrument_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        wanted = np.asarray(instrument_ids, dtype=np.int64)
        n = int(self.instrument_ids.shape[0])
        if n == 0:
            return np.full(wanted.shape, -1, dtype=np.int64)
        idx = np.minimum(np.searchsorted(self.instrument_ids, wanted), n - 1)
        return np.where(self.instrument_ids[idx] == wanted, idx, -1)

    def positions_of(self, instrument_idx: np.ndarray) -> np.ndarray:
        """Indices of every position in the given instruments (CSR slices, no scan)."""
        starts = self.inst_indptr[instrument_idx]
        ends = self.inst_indptr[instrument_idx + 1]
        if len(starts) == 1:
            return self.inst_positions[starts[0] : ends[0]]
        return np.concatenate([self.inst_positions[s:e] for s, e in zip(starts, ends, strict=True)])


# --- reading -------------------------------------------------------------------------------


def _accounts(using: str) -> tuple[np.ndarray, np.ndarray]:
    ids, clients = fetch_columns(
        "SELECT CAST(id AS BIGINT), CAST(client_id AS BIGINT) FROM custody_marginaccount "
        "WHERE status <> %s ORDER BY id",
        [MarginAccountStatus.CLOSED],
        "ii",
        using,
    )
    order = np.argsort(ids, kind="stable")  # the packed read keeps no order
    return ids[order], clients[order]


def _balances(account_ids: np.ndarray, using: str) -> tuple[np.ndarray, np.ndarray]:
    """Client cash and debt (principal + interest + fees) per account, natural sign.

    One row per ledger account, summed per margin account here: a server-side GROUP BY over
    200,000 ledger accounts sorts (and spills) where ``bincount`` takes milliseconds.
    """
    sql = (
        "SELECT CAST(la.margin_account_id AS BIGINT),"
        " CAST(CASE WHEN la.account_type_id = %s THEN 0 ELSE 1 END AS BIGINT),"
        " CAST(CASE WHEN b.normal_side = %s THEN b.balance ELSE -b.balance END"
        "  AS DOUBLE PRECISION)"
        " FROM custody_ledgerbalance b"
        " JOIN custody_ledgeraccount la ON la.id = b.ledger_account_id"
        " WHERE la.margin_account_id IS NOT NULL AND la.currency = %s"
        " AND la.account_type_id IN (%s, %s, %s, %s)"
    )
    ids, is_debt, amount = fetch_columns(
        sql,
        [
            ChartCode.CLIENT_CASH,
            NormalSide.DEBIT,
            "CNY",
            ChartCode.CLIENT_CASH,
            ChartCode.FINANCED_PRINCIPAL,
            ChartCode.INTEREST_RECEIVABLE,
            ChartCode.FEES_RECEIVABLE,
        ],
        "iif",
        using,
    )
    size = account_ids.shape[0]
    if not (ids.size and size):
        return np.zeros(size), np.zeros(size)
    idx = np.minimum(np.searchsorted(account_ids, ids), size - 1)
    hit = account_ids[idx] == ids
    cash = hit & (is_debt == 0)
    debt = hit & (is_debt == 1)
    return (
        np.bincount(idx[cash], weights=amount[cash], minlength=size),
        np.bincount(idx[debt], weights=amount[debt], minlength=size),
    )


def _positions(on: date, using: str) -> list[np.ndarray]:
    """Every non-zero position; shares bought before ``on`` count as sellable (T+1)."""
    sql = (
        "SELECT CAST(margin_account_id AS BIGINT), CAST(instrument_id AS BIGINT),"
        " CAST(quantity AS DOUBLE PRECISION),"
        " CAST(sellable_quantity + CASE WHEN pending_since < %s THEN pending_quantity ELSE 0 END"
        "  AS DOUBLE PRECISION)"
        " FROM custody_position WHERE quantity > 0"
    )
    return fetch_columns(sql, [on], "iiff", using)


def end_of(on: date) -> datetime:
    """The last instant of ``on`` in the exchange's time zone (prices seen up to then)."""
    return timezone.make_aware(datetime.combine(on, time.max), timezone.get_current_timezone())


def last_prices(instrument_ids: Sequence[int], on: date) -> dict[int, Decimal]:
    """The price the engine marks at, exact: the last quote of a later day than the last
    close, else the last close (one query, :func:`markets.selectors.latest_prices`)."""
    found = latest_prices(instrument_ids, as_of=end_of(on))
    return {pk: p.price for pk, p in found.items()}


_PRICE_SQL = (
    "SELECT CAST(i.id AS BIGINT), CAST(COALESCE("
    " (SELECT q.last FROM markets_quote q WHERE q.instrument_id = i.id AND q.ts <= %s"
    "   AND q.day > COALESCE((SELECT MAX(b.date) FROM markets_dailybar b"
    "     WHERE b.instrument_id = i.id AND b.date <= %s), %s)"
    "   ORDER BY q.ts DESC LIMIT 1),"
    " (SELECT b.close FROM markets_dailybar b WHERE b.instrument_id = i.id AND b.date <= %s"
    "   ORDER BY b.date DESC LIMIT 1),"
    " 0) AS DOUBLE PRECISION)"
    " FROM markets_instrument i WHERE i.id IN ({ids}) ORDER BY i.id"
)


def float_prices(
    on: date, instrument_ids: Sequence[int] | None = None, *, using: str = "default"
) -> tuple[np.ndarray, np.ndarray]:
    """The same prices as :func:`last_prices` as floats, in one raw query (no ORM compile on
    the tick path). ``None``: every instrument held in a position. Unpriced → 0."""
    ops = connections[using].ops
    stamp = ops.adapt_datetimefield_value(end_of(on))
    day = ops.adapt_datefield_value(on)
    params_: list[Any] = [stamp, day, ops.adapt_datefield_value(date(1, 1, 1)), day]
    if instrument_ids is None:
        ids_sql = "SELECT DISTINCT instrument_id FROM custody_position WHERE quantity > 0"
    else:
        ids_sql = ", ".join(["%s"] * len(instrument_ids)) or "NULL"
        params_ += [int(i) for i in instrument_ids]
    ids, prices = fetch_columns(_PRICE_SQL.format(ids=ids_sql), params_, "if", using)
    return ids, prices


def _haircuts(
    codes: Sequence[str], terms: Mapping[str, PackageTerms | None], inst_ids: np.ndarray, on: date
) -> np.ndarray:
    """(packages × instruments) haircut matrix; row ``len(codes)`` is "no package" (0)."""
    matrix = np.zeros((len(codes) + 1, inst_ids.shape[0]))
    live = [c for c in codes if terms.get(c) is not None]
    if not live or not inst_ids.size:
        return matrix
    try:
        regulatory = params.snapshot(REGULATORY_SET, on)
    except ParameterMissing:  # no regulatory haircut caps in force: no collateral value
        return matrix
    instruments = Instrument.objects.in_bulk([int(i) for i in inst_ids])
    halted = suspended_instrument_ids([int(i) for i in inst_ids], on)
    for row, code in enumerate(codes):
        if terms.get(code) is None:
            continue
        package = params.snapshot(f"package-{code}", on)
        for col, pk in enumerate(inst_ids.tolist()):
            matrix[row, col] = float(
                haircut_for(instruments[pk], package, regulatory, on, suspended=pk in halted)
            )
    return matrix


def _csr(pos_instrument: np.ndarray, n_instruments: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(pos_instrument, kind="stable").astype(np.int64)
    counts = np.bincount(pos_instrument, minlength=n_instruments)
    indptr = np.zeros(n_instruments + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, order


def _lines(
    client_ids: np.ndarray, on: date, using: str
) -> tuple[np.ndarray, dict[str, PackageTerms | None], np.ndarray]:
    """Per account: package code, and (3, A) warning / liquidation / top-up lines (NaN: none)."""
    codes = package_code_array(client_ids, on, using=using)
    terms = terms_by_code(set(codes.tolist()), on)
    lines = np.full((3, client_ids.shape[0]), np.nan)
    for code, t in terms.items():
        if t is None:
            continue
        mask = codes == code
        lines[0, mask] = float(t.warning_line)
        lines[1, mask] = float(t.liquidation_line)
        lines[2, mask] = float(t.topup_target)
    return codes, terms, lines


def load_book(on: date, *, using: str = "default") -> Book:
    """The whole book on ``on``: one query per table, no query per account."""
    account_ids, client_ids = _accounts(using)
    cash, debt = _balances(account_ids, using)
    p_acc, p_inst, p_qty, p_sell = _positions(on, using)
    keep = np.isin(p_acc, account_ids)
    p_acc, p_inst, p_qty, p_sell = p_acc[keep], p_inst[keep], p_qty[keep], p_sell[keep]
    instrument_ids = np.unique(p_inst)
    # No price at all: valued at zero, the conservative reading (as custody.valuation does).
    priced_ids, priced = float_prices(on, using=using)
    prices = np.zeros(instrument_ids.shape[0])
    if priced_ids.size and instrument_ids.size:
        at = np.minimum(np.searchsorted(priced_ids, instrument_ids), priced_ids.size - 1)
        hit = priced_ids[at] == instrument_ids
        prices[hit] = priced[at[hit]]
    pos_account = np.searchsorted(account_ids, p_acc).astype(np.int32)
    pos_instrument = np.searchsorted(instrument_ids, p_inst).astype(np.int32)
    codes, terms, lines = _lines(client_ids, on, using)
    package_list = sorted(c for c in terms)
    row_of = {c: i for i, c in enumerate(package_list)}
    account_row = np.array([row_of.get(c, len(package_list)) for c in codes], dtype=np.int64)
    matrix = _haircuts(package_list, terms, instrument_ids, on)
    pos_haircut = matrix[account_row[pos_account], pos_instrument] if p_acc.size else np.zeros(0)
    indptr, order = _csr(pos_instrument, instrument_ids.shape[0])
    return Book(
        on=on,
        account_ids=account_ids,
        cash=cash,
        debt=debt,
        warning_line=lines[0],
        liquidation_line=lines[1],
        topup_target=lines[2],
        instrument_ids=instrument_ids,
        prices=prices,
        pos_account=pos_account,
        pos_instrument=pos_instrument,
        pos_quantity=p_qty,
        pos_sellable=p_sell,
        pos_haircut=np.ascontiguousarray(pos_haircut, dtype=np.float64),
        package_codes=codes,
        inst_indptr=indptr,
        inst_positions=order,
        terms=terms,
    )


# --- arithmetic ----------------------------------------------------------------------------


def holdings_matrix(book: Book) -> Any:
    """The (accounts × instruments) quantity matrix (CSR), cached on the book."""
    if book.holdings is None:
        from scipy.sparse import csr_matrix

        book.holdings = csr_matrix(
            (book.pos_quantity, (book.pos_account, book.pos_instrument)),
            shape=(book.size, book.instrument_ids.shape[0]),
        )
    return book.holdings


def market_values(book: Book, prices: np.ndarray | None = None) -> np.ndarray:
    """(A,) securities at market value."""
    p = book.prices if prices is None else prices
    if book.size == 0 or p.size == 0:
        return np.zeros(book.size)
    return np.asarray(holdings_matrix(book) @ p, dtype=np.float64)


def ratios(book: Book, prices: np.ndarray | None = None) -> np.ndarray:
    """(A,) maintenance ratio (cash + market value) / debt; ``inf`` where nothing is owed."""
    return ratio_of(book.cash + market_values(book, prices), book.debt)


def ratio_of(assets: np.ndarray, debt: np.ndarray) -> np.ndarray:
    out = np.full(assets.shape, np.inf)
    owed = debt > 0
    np.divide(assets, debt, out=out, where=owed)
    return out


def collateral_values(book: Book, prices: np.ndarray | None = None) -> np.ndarray:
    """(A,) cash + securities weighted by their collateral haircut (capacity, not the ratio)."""
    p = book.prices if prices is None else prices
    weights = book.pos_quantity * p[book.pos_instrument] * book.pos_haircut
    return book.cash + np.bincount(book.pos_account, weights=weights, minlength=book.size)
