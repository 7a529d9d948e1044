"""Fill capture: ledger entries, positions, T+1, costs, duplicates, reconciliation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import InvalidInput
from custody.enums import ChartCode, FinancingSource, OrderStatus
from custody.fill_listeners import FillEvent, register_fill_listener, unregister_fill_listener
from custody.models import FinancingMovement, JournalEntry, Position
from custody.selectors import firm_balance, ledger_total, natural_balances
from custody.services.orders import orders_expire
from custody.services.positions import positions_roll_sellable
from custody.services.trading_reconcile import trading_differences
from custody.trading_selectors import sellable_on
from tests.custody.trading import TODAY, at, fill, make_trader, stock, submit

pytestmark = pytest.mark.usefixtures("credit_rules")
C = ChartCode
D = Decimal
TUESDAY = date(2026, 3, 3)


@pytest.fixture
def account(make_staff):
    return make_trader(make_staff, cash="100000")


@pytest.fixture
def a600(db):
    return stock("600000")


def bought(account, instrument, quantity=12000, price="10.00", on=TODAY):
    result = submit(account, instrument, "buy", quantity, price, on=on)
    assert result.accepted, result.reasons
    return fill(result.order, quantity, price)


def test_a_margin_buy_posts_one_balanced_entry_and_a_pending_position(account, a600):
    result = submit(account, a600, "buy", 12000, "10.00")

    captured = fill(result.order, 12000, "10.00")

    # 120,000 + commission 0.03% 36.00 + transfer fee 0.001% 1.20; cash 100,000 covers the rest
    assert (captured.value, captured.commission, captured.transfer_fee) == (
        D("120000.00"),
        D("36.00"),
        D("1.20"),
    )
    assert (captured.stamp_duty, captured.financed, captured.net_amount) == (
        D("0.00"),
        D("20037.20"),
        D("120037.20"),
    )
    assert natural_balances(account) == {
        C.CLIENT_CASH: D("0.00"),
        C.FINANCED_PRINCIPAL: D("20037.20"),
    }
    assert firm_balance(C.CLEARING_SETTLEMENT) == D("120000.00")
    assert firm_balance(C.COMMISSION_INCOME) == D("36.00")
    assert firm_balance(C.TRANSFER_FEE_PAYABLE) == D("1.20")
    assert ledger_total() == D("0.00")
    assert captured.entry.kind == "trade"
    position = Position.objects.get(margin_account=account)
    assert (position.quantity, position.sellable_quantity, position.pending_quantity) == (
        12000,
        0,
        12000,
    )
    assert (position.total_cost, position.average_cost) == (D("120037.20"), D("10.0031"))
    draw = FinancingMovement.objects.get()
    assert (draw.source, draw.amount, draw.fill) == (
        FinancingSource.MARGIN_BUY,
        D("20037.20"),
        captured,
    )
    result.order.refresh_from_db()
    assert result.order.status == OrderStatus.FILLED
    assert trading_differences() == []


def test_bought_today_is_not_sellable_until_the_next_trading_day(account, a600):
    bought(account, a600)

    today = submit(account, a600, "sell", 12000, "10.00")
    assert today.reasons == (
        "sell quantity 12000 exceeds the 0 shares of 600000 sellable today (12000 held; 12000 "
        "bought today are sellable from the next trading day (T+1))",
    )
    position = Position.objects.get()
    assert sellable_on(position, TODAY) == 0
    # The next trading day: sellable even before the nightly roll, and after it.
    assert sellable_on(position, TUESDAY) == 12000
    assert submit(account, a600, "sell", 12000, "10.00", on=TUESDAY).accepted
    assert positions_roll_sellable(business_date=TODAY) == 1
    position.refresh_from_db()
    assert (position.sellable_quantity, position.pending_quantity) == (12000, 0)
    assert positions_roll_sellable(business_date=TODAY) == 0  # idempotent


@pytest.mark.parametrize(
    ("bought_on", "closed", "next_day"),
    [
        (date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 9)),  # Friday → Saturday → Monday
        (date(2026, 4, 3), date(2026, 4, 6), date(2026, 4, 7)),  # Friday → Qingming → Tuesday
    ],
)
def test_t_plus_one_across_a_weekend_and_a_holiday(account, a600, bought_on, closed, next_day):
    bought(account, a600, 1000, on=bought_on)

    on_closed_day = submit(account, a600, "sell", 1000, "10.00", on=closed)
    assert on_closed_day.reasons == (f"{closed} is not a trading day",)
    same_day = submit(account, a600, "sell", 1000, "10.00", on=bought_on)
    assert "sellable from the next trading day (T+1)" in same_day.reasons[0]
    assert submit(account, a600, "sell", 1000, "10.00", on=next_day).accepted


def test_a_sell_repays_the_debt_first_and_books_realised_pnl(account, a600):
    bought(account, a600)
    sell = submit(account, a600, "sell", 6000, "11.00", on=TUESDAY)

    captured = fill(sell.order, 6000, "11.00")

    # 66,000 − commission 19.80 − stamp duty 0.05% 33.00 − transfer fee 0.66 = 65,946.54
    assert (captured.commission, captured.stamp_duty, captured.transfer_fee) == (
        D("19.80"),
        D("33.00"),
        D("0.66"),
    )
    assert (captured.net_amount, captured.repaid) == (D("-65946.54"), D("20037.20"))
    assert natural_balances(account) == {
        C.CLIENT_CASH: D("45909.34"),
        C.FINANCED_PRINCIPAL: D("0.00"),
    }
    position = Position.objects.get()
    # half the cost basis released: 60,018.60; realised 65,946.54 − 60,018.60
    assert (position.quantity, position.total_cost, position.realised_pnl) == (
        6000,
        D("60018.60"),
        D("5927.94"),
    )
    assert captured.realised_pnl == D("5927.94")
    repay = FinancingMovement.objects.get(source=FinancingSource.SALE)
    assert (repay.principal, repay.interest) == (D("20037.20"), D("0.00"))
    assert trading_differences() == []


def test_the_cny_5_minimum_applies_once_per_order_not_per_fill(account, a600):
    small = submit(account, a600, "buy", 100, "10.00")
    assert fill(small.order, 100, "10.00").commission == D("5.00")  # 0.03% of 1,000 is 0.30

    split = submit(account, a600, "buy", 3000, "10.00")
    charged = [fill(split.order, 1000, "10.00").commission for _ in range(3)]

    # cumulative 0.03%: max(3.00, 5) = 5, then 6.00 − 5 = 1.00, then 9.00 − 6.00 = 3.00
    assert charged == [D("5.00"), D("1.00"), D("3.00")]
    split.order.refresh_from_db()
    assert split.order.commission == D("9.00")  # not 3 × 5
    assert trading_differences() == []


@pytest.mark.parametrize(
    ("sell_day", "stamp"),
    [(date(2023, 8, 25), D("5.00")), (date(2023, 8, 28), D("2.50"))],
)
def test_stamp_duty_either_side_of_2023_08_28(make_staff, sell_day, stamp):
    account = make_trader(make_staff, cash="20000", limit=None)
    instrument = stock("600100", day=date(2023, 8, 23))
    bought(account, instrument, 1000, on=date(2023, 8, 24))

    sale = submit(account, instrument, "sell", 500, "10.00", on=sell_day)
    captured = fill(sale.order, 500, "10.00")

    assert captured.stamp_duty == stamp  # 0.1% then 0.05% of 5,000
    assert captured.commission == D("5.00")  # 0.025% of 5,000 is 1.25: the minimum
    assert captured.transfer_fee == D("0.05")
    assert firm_balance(C.STAMP_DUTY_PAYABLE) == stamp


def test_a_duplicate_fill_id_is_refused_and_changes_nothing(account, a600):
    order = submit(account, a600, "buy", 2000, "10.00").order
    fill(order, 1000, "10.00", exec_id="BRK-1")
    entries = JournalEntry.objects.count()
    before = natural_balances(account)

    with pytest.raises(InvalidInput) as refused:
        fill(order, 1000, "10.00", exec_id="BRK-1")

    assert str(refused.value) == (
        "fill BRK-1 is a duplicate: it was already captured as fill "
        f"#{order.fills.get().pk} of order #{order.pk}; nothing was posted"
    )
    assert JournalEntry.objects.count() == entries
    assert natural_balances(account) == before
    assert Position.objects.get().quantity == 1000
    order.refresh_from_db()
    assert (order.status, order.filled_quantity) == (OrderStatus.PARTIALLY_FILLED, 1000)


def test_fills_beyond_the_order_or_its_limit_are_refused(account, a600):
    order = submit(account, a600, "buy", 1000, "10.00").order
    with pytest.raises(InvalidInput, match="exceeds the 1000 shares still open"):
        fill(order, 1100, "10.00")
    with pytest.raises(InvalidInput, match=r"at 10.01 is beyond the order's limit 10.00"):
        fill(order, 1000, "10.01")
    with pytest.raises(InvalidInput, match="is a day order for 2026-03-02"):
        fill(order, 1000, "10.00", when=at(TUESDAY))
    assert JournalEntry.objects.count() == 1  # the funding deposit only
    assert not Position.objects.exists()


def test_listeners_hear_of_a_fill_after_commit(account, a600, django_capture_on_commit_callbacks):
    heard: list[FillEvent] = []
    register_fill_listener(heard.append)
    try:
        order = submit(account, a600, "buy", 1000, "10.00").order
        with django_capture_on_commit_callbacks(execute=True):
            captured = fill(order, 1000, "10.00")
    finally:
        unregister_fill_listener(heard.append)
    assert [(e.fill_id, e.side, e.quantity, e.order_status) for e in heard] == [
        (captured.pk, "buy", 1000, OrderStatus.FILLED)
    ]


def test_open_orders_expire_after_the_close(account, a600):
    order = submit(account, a600, "buy", 1000, "10.00").order
    assert orders_expire(trade_date=TODAY) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert orders_expire(trade_date=TODAY) == 0


def test_reconciliation_names_a_position_that_disagrees_with_its_fills(account, a600):
    bought(account, a600, 1000)
    Position.objects.filter(margin_account=account).update(
        quantity=1100, pending_quantity=1100, total_cost=D("10000.00")
    )

    found = {(d.check, d.expected, d.found) for d in trading_differences()}

    assert found == {
        ("position quantity", D("1000"), D("1100")),
        ("position cost − realised", D("10005.10"), D("10000.00")),
    }
