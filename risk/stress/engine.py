"""The stress kernel: a path of prices and sellable volume played over the whole book.

Each stressed day, vectorised over every account and position:

1. mark the book at the day's prices and compute each account's maintenance ratio;
2. count the accounts below their warning and liquidation lines; an account that has fallen below
   its liquidation line is under forced liquidation from then on, until its ratio is back at its
   top-up target or its debt is repaid;
3. the liquidator sells what those accounts need: the gross sale ``S`` that brings
   ``(assets − S) / (debt − S·(1 − cost))`` back to the top-up target, capped at the debt;
   positions are sold pro rata to their sellable value, and each instrument's sales are capped by
   what the market takes that day (volume × participation; nothing on a one-price limit-down day or
   while suspended), shared pro rata among the accounts selling it; a second pass offers capacity
   left over to the accounts still short. Every sale is an order the exchange accepts
   (:mod:`risk.stress.lots`, when the run is given the instruments' lot rules): what an account
   wants from a position is rounded up to the smallest valid size (whole lots, or lots plus the
   whole odd lot), and what the day's capacity lets it sell below that is rounded down to whole
   lots (an odd lot only goes with the whole balance);
4. net proceeds repay debt; everything held becomes sellable the next day (T+1).

The shortfall (穿仓) of an account is what its debt exceeds its cash plus its securities at the
last stressed price. All arithmetic is float64 screening; amounts persisted are rounded to cents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt

from risk.margin.book import Book, market_values, ratios
from risk.stress.lots import LotSizes, round_down, round_up

F64 = npt.NDArray[np.float64]

RatioFn = Callable[[Book, F64 | None], F64]
_PASSES = 2
BLOCKED_LISTED = 10


@dataclass(frozen=True)
class ShockPath:
    """Per stressed day and instrument (columns in ``book.instrument_ids`` order).

    Attributes:
        dates: the day each row stands for (``None`` for a hypothetical day).
        price_factor: price relative to the book's price (D, I).
        capacity: shares the whole book may sell that day (D, I); ``inf`` = no limit.
    """

    dates: list[date | None]
    price_factor: F64
    capacity: F64

    def __post_init__(self) -> None:
        if self.price_factor.shape != self.capacity.shape or self.price_factor.ndim != 2:
            raise ValueError("price_factor and capacity must both be (days, instruments)")
        if len(self.dates) != self.price_factor.shape[0]:
            raise ValueError("one date per stressed day")
        if np.any(self.price_factor < 0) or np.any(self.capacity < 0):
            raise ValueError("prices and capacities must not be negative")


@dataclass(frozen=True)
class DayResult:
    index: int
    date: date | None
    warning_accounts: int
    liquidation_accounts: int
    sold_value: float
    unsold_value: float
    debt: float
    collateral: float
    shortfall: float
    blocked: list[dict[str, float | int]]


@dataclass(frozen=True)
class StressResult:
    days: list[DayResult]
    start_ratio: F64
    worst_ratio: F64
    first_liquidation_day: npt.NDArray[np.int64]  # -1: never
    ever_warning: npt.NDArray[np.bool_]
    debt_end: F64
    collateral_end: F64
    unsold_value: F64  # largest value wanted but not sold on any one day
    shortfall: F64
    sold_quantity: F64  # (D, P) shares sold per day and position

    @property
    def total_shortfall(self) -> float:
        return float(self.shortfall.sum())


def required_sale(assets: F64, debt: F64, target: F64, cost_rate: float) -> F64:
    """Gross sale value that restores ``target``, capped at what repays the whole debt."""
    net = 1.0 - cost_rate
    denominator = target * net - 1.0
    repay_all = debt / net
    with np.errstate(divide="ignore", invalid="ignore"):
        restore = np.where(denominator > 0, (target * debt - assets) / denominator, repay_all)
    return np.clip(np.minimum(restore, repay_all), 0.0, None)


def _allocate(
    book: Book,
    prices: F64,
    sellable: F64,
    need: F64,
    capacity: F64,
    lots: LotSizes | None = None,
) -> tuple[F64, F64]:
    """Shares sold per position and the value still needed per account after the passes.

    Each pass is one order per position against what is still sellable; with ``lots`` its size
    is a valid one (see the module docstring).
    """
    pos_price = prices[book.pos_instrument]
    lot_min, lot_step = lots.per_position(book.pos_instrument) if lots is not None else (None, None)
    accounts = len(book.account_ids)
    instruments = len(book.instrument_ids)
    sold = np.zeros_like(sellable)
    left_cap = capacity.copy()
    left_need = need.copy()
    for _ in range(_PASSES):
        active = (left_need[book.pos_account] > 0) & (left_cap[book.pos_instrument] > 0)
        free = np.where(active, sellable - sold, 0.0)
        available = np.bincount(book.pos_account, weights=free * pos_price, minlength=accounts)
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.where(available > 0, np.minimum(1.0, left_need / available), 0.0)
        want = free * fraction[book.pos_account]
        if lot_min is not None and lot_step is not None:
            want = round_up(want, free, lot_min, lot_step)
        demand = np.bincount(book.pos_instrument, weights=want, minlength=instruments)
        with np.errstate(divide="ignore", invalid="ignore"):
            fill = np.where(demand > 0, np.minimum(1.0, left_cap / demand), 0.0)
        pos_fill = fill[book.pos_instrument]
        got = want * pos_fill
        if lot_min is not None and lot_step is not None:
            got = np.where(pos_fill < 1.0, round_down(got, free, lot_min, lot_step), want)
        sold += got
        left_cap = np.maximum(
            left_cap - np.bincount(book.pos_instrument, weights=got, minlength=instruments), 0.0
        )
        got_value = np.bincount(book.pos_account, weights=got * pos_price, minlength=accounts)
        left_need = np.maximum(left_need - got_value, 0.0)
    return sold, left_need


def _blocked(
    book: Book, prices: F64, held: F64, in_liquidation: npt.NDArray[np.bool_], capacity: F64
) -> list[dict[str, float | int]]:
    """Instruments held by accounts under liquidation that could not be sold at all that day."""
    mask = in_liquidation[book.pos_account] & (capacity[book.pos_instrument] <= 0)
    if not mask.any():
        return []
    value = np.bincount(
        book.pos_instrument[mask],
        weights=held[mask] * prices[book.pos_instrument[mask]],
        minlength=len(book.instrument_ids),
    )
    order = np.argsort(-value)[:BLOCKED_LISTED]
    return [
        {"instrument_id": int(book.instrument_ids[i]), "value": round(float(value[i]), 2)}
        for i in order
        if value[i] > 0
    ]


def run_stress(
    book: Book,
    path: ShockPath,
    *,
    cost_rate: float = 0.0,
    ratio_fn: RatioFn = ratios,
    lots: LotSizes | None = None,
) -> StressResult:
    """Play ``path`` over ``book`` (which is not modified) and return what happened.

    ``lots`` (per instrument, the book's column order) makes every day's sales valid order sizes;
    without it shares sell in any quantity (synthetic books of fractional shares).
    """
    if lots is not None and lots.buy_min.shape != book.instrument_ids.shape:
        raise ValueError("one lot rule per instrument of the book")
    if path.price_factor.shape[1] != len(book.instrument_ids):
        raise ValueError("the path has a column per instrument of the book")
    if not 0 <= cost_rate < 1:
        raise ValueError("cost_rate must be in [0, 1)")
    state = replace(
        book,
        cash=book.cash.astype(np.float64, copy=True),
        debt=book.debt.astype(np.float64, copy=True),
        pos_quantity=book.pos_quantity.astype(np.float64, copy=True),
        holdings=None,  # the book's cached holdings matrix is for its own quantities
    )
    sellable = np.minimum(book.pos_sellable.astype(np.float64, copy=True), state.pos_quantity)
    accounts = len(book.account_ids)
    start = ratio_fn(book, None)
    worst = start.copy()
    first_liq = np.full(accounts, -1, dtype=np.int64)
    ever_warning = np.zeros(accounts, dtype=bool)
    unsold = np.zeros(accounts)
    sold_log = np.zeros((len(path.dates), len(book.pos_quantity)))
    days: list[DayResult] = []
    prices = book.prices
    for d, day in enumerate(path.dates):
        prices = book.prices * path.price_factor[d]
        ratio = ratio_fn(state, prices)
        worst = np.minimum(worst, ratio)
        warning = ratio < book.warning_line
        breach = ratio < book.liquidation_line
        ever_warning |= warning
        first_liq = np.where(breach & (first_liq < 0), d, first_liq)
        in_liq = (first_liq >= 0) & (ratio < book.topup_target) & (state.debt > 0)
        assets = state.cash + market_values(state, prices)
        need = np.where(
            in_liq, required_sale(assets, state.debt, book.topup_target, cost_rate), 0.0
        )
        sold, left_need = _allocate(state, prices, sellable, need, path.capacity[d], lots)
        blocked = _blocked(state, prices, sellable, in_liq, path.capacity[d])
        sold_log[d] = sold
        gross = np.bincount(
            state.pos_account, weights=sold * prices[state.pos_instrument], minlength=accounts
        )
        state.pos_quantity -= sold
        state.holdings = None  # quantities changed: revalue from the new ones
        repay = np.minimum(state.debt, gross * (1.0 - cost_rate))
        state.debt -= repay
        state.cash += gross * (1.0 - cost_rate) - repay
        unsold = np.maximum(unsold, left_need)
        sellable = state.pos_quantity.copy()  # T+1: everything held is sellable tomorrow
        assets_after = state.cash + market_values(state, prices)
        days.append(
            DayResult(
                index=d,
                date=day,
                warning_accounts=int(warning.sum()),
                liquidation_accounts=int(breach.sum()),
                sold_value=float(gross.sum()),
                unsold_value=float(left_need.sum()),
                debt=float(state.debt.sum()),
                collateral=float(assets_after.sum()),
                shortfall=float(np.maximum(state.debt - assets_after, 0.0).sum()),
                blocked=blocked,
            )
        )
    collateral_end = state.cash + market_values(state, prices)
    return StressResult(
        days=days,
        start_ratio=start,
        worst_ratio=worst,
        first_liquidation_day=first_liq,
        ever_warning=ever_warning,
        debt_end=state.debt,
        collateral_end=collateral_end,
        unsold_value=unsold,
        shortfall=np.maximum(state.debt - collateral_end, 0.0),
        sold_quantity=sold_log,
    )


def worst_accounts(result: StressResult, limit: int) -> npt.NDArray[np.int64]:
    """Account indexes in order of largest shortfall, then lowest worst ratio."""
    order = np.lexsort((result.worst_ratio, -result.shortfall))
    return np.asarray(order[:limit], dtype=np.int64)
