"""Commission (capped, ¥5 minimum), stamp duty (sells, by date) and transfer fee (both sides)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import InvalidInput
from core.money import FloatMoneyError
from markets.enums import InstrumentKind, Side
from markets.fees import TradeCosts, trade_costs

pytestmark = pytest.mark.django_db
D = Decimal
RATE = D("0.00025")


def test_stamp_duty_is_0_1_percent_on_sells_before_2023_08_28(book):
    costs = trade_costs(
        side=Side.SELL,
        value=D("100000"),
        trade_date=date(2023, 8, 25),
        commission_rate=RATE,
        book=book,
    )
    assert costs == TradeCosts(
        commission=D("25.00"), stamp_duty=D("100.00"), transfer_fee=D("1.00")
    )
    assert costs.total == D("126.00")


def test_stamp_duty_is_halved_to_0_05_percent_from_2023_08_28(book):
    costs = trade_costs(
        side=Side.SELL,
        value=D("100000"),
        trade_date=date(2023, 8, 28),
        commission_rate=RATE,
        book=book,
    )
    assert costs.stamp_duty == D("50.00")


@pytest.mark.parametrize("day", [date(2023, 8, 25), date(2023, 8, 28)])
def test_buyers_pay_no_stamp_duty(book, day):
    costs = trade_costs(side=Side.BUY, value=D("100000"), trade_date=day, book=book)
    assert costs.stamp_duty == D("0.00")
    assert costs.transfer_fee == D("1.00")


def test_the_commission_is_at_least_5_yuan(book):
    small = trade_costs(side=Side.BUY, value=D("10000"), trade_date=date(2024, 6, 3), book=book)
    assert small.commission == D("5.00")  # 0.025% would be 2.50
    larger = trade_costs(side=Side.BUY, value=D("30000"), trade_date=date(2024, 6, 3), book=book)
    assert larger.commission == D("7.50")


def test_the_firms_rate_is_capped_at_the_exchange_maximum(book):
    costs = trade_costs(
        side=Side.BUY,
        value=D("100000"),
        trade_date=date(2024, 6, 3),
        commission_rate=D("0.005"),
        book=book,
    )
    assert costs.commission == D("300.00")  # 0.3%, not 0.5%


def test_the_transfer_fee_was_cut_on_2022_04_29(book):
    before = trade_costs(side=Side.BUY, value=D("100000"), trade_date=date(2022, 4, 28), book=book)
    after = trade_costs(side=Side.SELL, value=D("100000"), trade_date=date(2022, 4, 29), book=book)
    assert (before.transfer_fee, after.transfer_fee) == (D("2.00"), D("1.00"))


def test_each_component_rounds_half_up_to_the_cent(book):
    costs = trade_costs(
        side=Side.SELL,
        value=D("10010"),
        trade_date=date(2024, 6, 3),
        commission_rate=RATE,
        book=book,
    )
    assert costs.stamp_duty == D("5.01")  # 5.005 half up (half-even would give 5.00)
    assert costs.transfer_fee == D("0.10")  # 0.1001


def test_etfs_pay_no_stamp_duty_and_no_transfer_fee(book):
    costs = trade_costs(
        side=Side.SELL,
        value=D("100000"),
        trade_date=date(2024, 6, 3),
        kind=InstrumentKind.ETF,
        book=book,
    )
    assert costs == TradeCosts(commission=D("25.00"), stamp_duty=D("0.00"), transfer_fee=D("0.00"))


def test_the_default_rate_is_the_firms_parameter(db):
    costs = trade_costs(side=Side.BUY, value=D("1000000"), trade_date=date(2024, 6, 3))
    assert costs.commission == D("250.00")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"side": "short", "value": D("100")}, "side 'short' must be buy or sell"),
        ({"side": Side.BUY, "value": D("0")}, "trade value 0 must be positive"),
    ],
)
def test_bad_input_is_refused(book, kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        trade_costs(trade_date=date(2024, 6, 3), book=book, **kwargs)


def test_a_float_value_is_refused(book):
    with pytest.raises(FloatMoneyError):
        trade_costs(side=Side.BUY, value=1000.0, trade_date=date(2024, 6, 3), book=book)  # type: ignore[arg-type]
