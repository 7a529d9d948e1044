"""The stress kernel over a book built by hand: lines, capacity, limit-down days, shortfall."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from risk.margin.book import Book
from risk.stress.engine import ShockPath, required_sale, run_stress, worst_accounts


def make_book(
    *, cash: list[float], debt: list[float], positions: list[tuple[int, int, float]], prices
) -> Book:
    accounts = len(cash)
    return Book(
        on=date(2016, 7, 1),
        account_ids=np.arange(1, accounts + 1, dtype=np.int64),
        cash=np.array(cash, dtype=float),
        debt=np.array(debt, dtype=float),
        warning_line=np.full(accounts, 1.4),
        liquidation_line=np.full(accounts, 1.3),
        topup_target=np.full(accounts, 1.6),
        instrument_ids=np.arange(10, 10 + len(prices), dtype=np.int64),
        prices=np.array(prices, dtype=float),
        pos_account=np.array([p[0] for p in positions], dtype=np.int32),
        pos_instrument=np.array([p[1] for p in positions], dtype=np.int32),
        pos_quantity=np.array([p[2] for p in positions], dtype=float),
        pos_sellable=np.array([p[2] for p in positions], dtype=float),
        pos_haircut=np.full(len(positions), 0.6),
    )


def path(factors: list[list[float]], capacity: list[list[float]]) -> ShockPath:
    return ShockPath(
        dates=[None] * len(factors),
        price_factor=np.array(factors, dtype=float),
        capacity=np.array(capacity, dtype=float),
    )


def test_required_sale_restores_the_top_up_target() -> None:
    sale = required_sale(np.array([130.0]), np.array([100.0]), np.array([1.6]), 0.0)
    # (130 − S) / (100 − S) = 1.6  →  S = 50
    assert sale[0] == pytest.approx(50.0)
    after = (130.0 - sale[0]) / (100.0 - sale[0])
    assert after == pytest.approx(1.6)


def test_required_sale_is_capped_at_the_debt() -> None:
    sale = required_sale(np.array([90.0]), np.array([100.0]), np.array([1.6]), 0.0)
    assert sale[0] == pytest.approx(100.0)


def test_an_account_exactly_on_its_liquidation_line_is_not_liquidated() -> None:
    book = make_book(cash=[0.0], debt=[100.0], positions=[(0, 0, 20.0)], prices=[10.0])
    result = run_stress(book, path([[0.65]], [[np.inf]]))
    assert (result.days[0].warning_accounts, result.days[0].liquidation_accounts) == (1, 0)
    assert result.days[0].sold_value == 0


def test_an_account_above_its_lines_is_left_alone() -> None:
    book = make_book(cash=[0.0], debt=[100.0], positions=[(0, 0, 20.0)], prices=[10.0])
    result = run_stress(book, path([[0.8]], [[np.inf]]))
    # 160 / 100 = 1.6 → 0.8 × 200 / 100 = 1.6: above the warning line still.
    assert result.days[0].warning_accounts == 0
    assert result.days[0].sold_value == 0
    assert result.first_liquidation_day[0] == -1


def test_breach_sells_to_the_target_when_the_market_takes_it() -> None:
    book = make_book(cash=[0.0], debt=[100.0], positions=[(0, 0, 20.0)], prices=[10.0])
    result = run_stress(book, path([[0.6]], [[np.inf]]))
    day = result.days[0]
    assert (day.warning_accounts, day.liquidation_accounts) == (1, 1)
    # assets 120, debt 100 → sell 200/3, ratio (160/3) / (100/3) = 1.6
    assert day.sold_value == pytest.approx(200 / 3)
    assert result.debt_end[0] == pytest.approx(100 / 3)
    assert result.shortfall[0] == 0


def test_one_price_limit_down_days_sell_nothing_and_leave_a_shortfall() -> None:
    book = make_book(cash=[0.0], debt=[100.0], positions=[(0, 0, 10.0)], prices=[14.0])
    # Three −10% one-price days, then trading at −40% from the book price.
    factors = [[0.9], [0.81], [0.729], [0.6]]
    capacity = [[0.0], [0.0], [0.0], [np.inf]]
    result = run_stress(book, path(factors, capacity))
    assert [d.sold_value for d in result.days[:3]] == [0.0, 0.0, 0.0]
    assert result.days[0].blocked == [{"instrument_id": 10, "value": 126.0}]
    assert result.days[3].sold_value == pytest.approx(84.0)
    assert result.shortfall[0] == pytest.approx(16.0)
    assert result.total_shortfall == pytest.approx(16.0)


def test_capacity_is_shared_pro_rata_among_sellers() -> None:
    book = make_book(
        cash=[0.0, 0.0],
        debt=[100.0, 100.0],
        positions=[(0, 0, 10.0), (1, 0, 10.0)],
        prices=[10.0],
    )
    result = run_stress(book, path([[0.5]], [[4.0]]))
    sold = result.sold_quantity[0]
    assert sold.tolist() == pytest.approx([2.0, 2.0])
    assert result.days[0].unsold_value == pytest.approx(2 * (100.0 - 10.0))


def test_second_pass_uses_capacity_left_on_other_names() -> None:
    book = make_book(
        cash=[0.0],
        debt=[100.0],
        positions=[(0, 0, 10.0), (0, 1, 10.0)],
        prices=[6.0, 6.0],
    )
    # Instrument 0 is limit-down (nothing sells); instrument 1 trades freely.
    result = run_stress(book, path([[0.9, 0.9]], [[0.0, np.inf]]))
    assert result.sold_quantity[0].tolist() == pytest.approx([0.0, 10.0])


def test_the_book_is_not_modified_and_worst_accounts_rank_by_shortfall() -> None:
    book = make_book(
        cash=[0.0, 0.0, 500.0],
        debt=[100.0, 100.0, 0.0],
        positions=[(0, 0, 10.0), (1, 0, 8.0), (2, 0, 1.0)],
        prices=[14.0],
    )
    before = book.pos_quantity.copy()
    result = run_stress(book, path([[0.5]], [[0.0]]))
    assert np.array_equal(book.pos_quantity, before)
    assert worst_accounts(result, 2).tolist() == [1, 0]
    assert result.shortfall.tolist() == pytest.approx([30.0, 44.0, 0.0])
