"""Forced sales in the stress engine are orders the exchange accepts: lots and the odd lot."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from markets.enums import Board
from markets.rules import LotRule, RuleBook
from risk.liquidation.planner import SellSizes
from risk.stress.data import lot_sizes_for
from risk.stress.engine import run_stress
from risk.stress.lots import LotSizes, round_down, round_up
from tests.markets.factories import InstrumentFactory
from tests.risk.stress.test_stress_engine import make_book, path

MAIN = LotRule(100, 100)
STAR = LotRule(200, 1)
BSE = LotRule(100, 1)


def arrays(rule: LotRule, *values: float) -> tuple[np.ndarray, ...]:
    n = len(values)
    return (
        np.array(values, dtype=float),
        np.full(n, float(rule.buy_min)),
        np.full(n, float(rule.buy_step)),
    )


def planner_sizes(rule: LotRule, available: int, held: int) -> list[int]:
    sizes = SellSizes(available, rule, held=held)
    return [sizes.nth(i) for i in range(sizes.count())]


@pytest.mark.parametrize("rule", [MAIN, STAR, BSE], ids=["main", "star", "bse"])
@pytest.mark.parametrize("held", [50, 100, 199, 250, 1000, 1050])
def test_the_vectorised_sizes_are_the_planners(rule: LotRule, held: int) -> None:
    quantities = np.arange(0, held + 1, dtype=float)
    h = np.full(quantities.shape, float(held))
    q, lot, step = arrays(rule, *quantities.tolist())
    down = round_down(q, h, lot, step)
    up = round_up(q, h, lot, step)
    every = planner_sizes(rule, held, held)  # everything offered: lots with the odd lot
    for cap in range(held + 1):
        capped = planner_sizes(rule, cap, held) if cap < held else [held]
        assert down[cap] == (capped[-1] if capped else 0), f"round_down({cap} of {held})"
        reaching = [s for s in every if s >= cap]
        assert up[cap] == (0 if cap == 0 else min(reaching)), f"round_up({cap} of {held})"


@pytest.mark.parametrize(
    ("cap", "sold"),
    [(250.0, 250.0), (249.9, 200.0), (200.0, 200.0), (199.0, 100.0), (99.0, 0.0)],
)
def test_250_shares_under_a_volume_cap(cap: float, sold: float) -> None:
    # Ratio 1.0: the liquidator wants everything; the day's capacity is 10% of the volume.
    book = make_book(cash=[0.0], debt=[2_500.0], positions=[(0, 0, 250.0)], prices=[10.0])
    lots = LotSizes.from_rules([MAIN])
    result = run_stress(book, path([[1.0]], [[cap]]), lots=lots)
    assert result.sold_quantity[0].tolist() == [sold]
    unlimited = run_stress(book, path([[1.0]], [[cap]]))
    assert unlimited.sold_quantity[0][0] == pytest.approx(min(cap, 250.0))


def test_a_small_need_sells_the_odd_lot_whole() -> None:
    # Day 1: −20%, ratio 1.25, one-price (nothing sells). Day 2: back to 10, ratio 1.5625: the
    # top-up target needs CNY 100, 10 shares; the smallest valid order is the 50-share odd lot.
    book = make_book(cash=[0.0], debt=[1_600.0], positions=[(0, 0, 250.0)], prices=[10.0])
    shock = path([[0.8], [1.0]], [[0.0], [np.inf]])
    exact = run_stress(book, shock)
    assert exact.sold_quantity[1][0] == pytest.approx(10.0)
    lotted = run_stress(book, shock, lots=LotSizes.from_rules([MAIN]))
    assert lotted.sold_quantity[:, 0].tolist() == [0.0, 50.0]


def test_a_shared_cap_is_rounded_down_per_seller() -> None:
    # Two accounts want all 250 shares each; the day takes 250: 125 each pro rata, 100 in lots;
    # the 50 left over cannot make a lot for either, and 150 is not everything they hold.
    book = make_book(
        cash=[0.0, 0.0],
        debt=[2_500.0, 2_500.0],
        positions=[(0, 0, 250.0), (1, 0, 250.0)],
        prices=[10.0],
    )
    result = run_stress(book, path([[1.0]], [[250.0]]), lots=LotSizes.from_rules([MAIN]))
    assert result.sold_quantity[0].tolist() == [100.0, 100.0]
    assert result.days[0].sold_value == pytest.approx(2_000.0)


def test_star_sells_at_least_200_then_single_shares() -> None:
    book = make_book(cash=[0.0], debt=[2_500.0], positions=[(0, 0, 250.0)], prices=[10.0])
    lots = LotSizes.from_rules([STAR])
    assert run_stress(book, path([[1.0]], [[199.0]]), lots=lots).sold_quantity[0].tolist() == [0.0]
    assert run_stress(book, path([[1.0]], [[230.4]]), lots=lots).sold_quantity[0].tolist() == [
        230.0
    ]


def test_the_lot_rules_come_from_the_trading_rules_in_force(db) -> None:
    main = InstrumentFactory.create(code="600000")
    star = InstrumentFactory.create(code="688001")
    assert star.board == Board.STAR
    book = make_book(
        cash=[0.0], debt=[0.0], positions=[(0, 0, 100.0), (0, 1, 200.0)], prices=[10.0, 10.0]
    )
    book = replace(book, instrument_ids=np.array([main.pk, star.pk], dtype=np.int64))
    lots = lot_sizes_for(book, RuleBook.load())
    assert lots.buy_min.tolist() == [100.0, 200.0]
    assert lots.buy_step.tolist() == [100.0, 1.0]
