"""The exchange's lot rule for forced sales, vectorised over every position of the book.

The rule is :class:`markets.rules.LotRule` (from ``ashare-trading`` through
:meth:`markets.rules.RuleBook.lots`) and the sizes the liquidation planner may sell
(:class:`risk.liquidation.planner.SellSizes`), applied to arrays:

* **whole lots** (main board, ChiNext: 100 then 100): multiples of a lot; when an order takes the
  position's whole sellable balance it may carry the odd lot too (``k`` lots + the odd lot, the
  odd lot only ever whole). Held 250: 50, 100, 150, 200 or 250 when nothing caps the sale; capped
  below 250 (the day's volume), whole lots only — 249 → 200, 99 → nothing;
* **minimum then steps** (STAR 200 then 1, BSE 100 then 1): at least the minimum, then any step;
  a balance below the minimum only whole.

"Held" is the balance the order is placed against: the shares still sellable that day.
Quantities are whole shares held as float64; a tolerance absorbs the pro-rata arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from markets.rules import LotRule

F64 = npt.NDArray[np.float64]
_EPS = 1e-6


@dataclass(frozen=True)
class LotSizes:
    """Per instrument (the book's column order) its lot rule as two arrays."""

    buy_min: F64
    buy_step: F64

    @classmethod
    def from_rules(cls, rules: Sequence[LotRule]) -> LotSizes:
        return cls(
            buy_min=np.array([r.buy_min for r in rules], dtype=np.float64),
            buy_step=np.array([r.buy_step for r in rules], dtype=np.float64),
        )

    def __post_init__(self) -> None:
        if self.buy_min.shape != self.buy_step.shape:
            raise ValueError("one minimum and one step per instrument")
        if np.any(self.buy_min < 1) or np.any(self.buy_step < 1):
            raise ValueError("lot sizes are whole shares, at least 1")

    def per_position(self, pos_instrument: npt.NDArray[np.integer]) -> tuple[F64, F64]:
        return self.buy_min[pos_instrument], self.buy_step[pos_instrument]


def round_down(quantity: F64, held: F64, buy_min: F64, buy_step: F64) -> F64:
    """The largest size the planner may sell not above ``quantity`` (a cap below everything).

    ``quantity`` at or above ``held`` sells everything (the odd lot included); below it, only
    the minimum plus whole steps (whole lots on the main board), none if below the minimum.
    """
    q = np.floor(quantity + _EPS)
    steps = np.floor(np.maximum(q - buy_min, 0.0) / buy_step + _EPS)
    capped = np.where(q >= buy_min, buy_min + steps * buy_step, 0.0)
    return np.where(quantity + _EPS >= held, held, np.minimum(capped, held))


def round_up(quantity: F64, held: F64, buy_min: F64, buy_step: F64) -> F64:
    """The smallest size the planner may sell that is at least ``quantity`` (at most ``held``).

    Chosen among every valid size of the whole balance: whole lots or steps, and on whole-lot
    boards also lots plus the whole odd lot; ``held`` itself is always valid.
    """
    q = np.maximum(quantity - _EPS, 0.0)
    steps = np.ceil(np.maximum(q - buy_min, 0.0) / buy_step)
    lots = buy_min + steps * buy_step  # ≥ q, the smallest minimum-plus-steps size
    odd = np.mod(held, buy_min)
    whole_lots = (buy_step == buy_min) & (odd > 0)
    with_odd = np.ceil(np.maximum(q - odd, 0.0) / buy_min) * buy_min + odd  # k lots + odd ≥ q
    best = np.where(whole_lots, np.minimum(lots, with_odd), lots)
    return np.where(quantity <= _EPS, 0.0, np.minimum(best, held))
