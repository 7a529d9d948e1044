"""T+1 settlement in the nightly clearing: day orders expire, bought shares become sellable."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from custody.enums import OrderChannel, OrderStatus
from custody.models import MarginAccount, Order, Position
from custody.services.orders import OrderSpec, order_record
from markets.enums import OrderType, Side
from settlement.enums import RunStatus
from settlement.models import ClearingRun, DailyStatement
from settlement.services import clearing_run, runs
from tests.custody.factories import InstrumentFactory, PositionFactory
from tests.settlement.conftest import FRIDAY, MONDAY, evening

pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 3, 5)


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: the transaction in flight is lost."""


def open_order(account: MarginAccount, day: date, n: int, instrument: Any) -> Order:
    spec = OrderSpec(
        margin_account=account,
        instrument=instrument,
        side=Side.BUY,
        order_type=OrderType.LIMIT,
        quantity=100,
        limit_price=Decimal("10.00"),
        reference_price=Decimal("10.00"),
        channel=OrderChannel.OPS,
        purpose="",
        liquidation_ref="",
        trade_date=day,
        idempotency_key=f"t1-{account.pk}-{n}",
    )
    return order_record(spec=spec, reasons=[], what_if={}, submitted_by=None)


@pytest.fixture
def trades(define_package, borrower, clock) -> dict[str, Any]:
    """Two accounts: orders and purchases of Thursday, Friday and (a late run) Monday."""
    package = define_package("p365", "0.0600", "ACT/365")
    first, second = borrower(package), borrower(package, principal="0")
    stock = InstrumentFactory.create()
    other = InstrumentFactory.create()
    positions = {
        "thursday": PositionFactory.create(
            margin_account=first,
            instrument=stock,
            quantity=1000,
            sellable_quantity=400,
            pending_quantity=600,
            pending_since=THURSDAY,
        ),
        "friday": PositionFactory.create(
            margin_account=second,
            instrument=stock,
            quantity=500,
            sellable_quantity=0,
            pending_quantity=500,
            pending_since=FRIDAY,
        ),
        "monday": PositionFactory.create(
            margin_account=first,
            instrument=other,
            quantity=300,
            sellable_quantity=0,
            pending_quantity=300,
            pending_since=MONDAY,
        ),
    }
    orders = {
        "thursday": open_order(first, THURSDAY, 1, stock),
        "friday": open_order(second, FRIDAY, 2, stock),
        "monday": open_order(first, MONDAY, 3, other),
    }
    clock.move_to(evening(FRIDAY))
    return {"positions": positions, "orders": orders}


def state(trades: dict[str, Any]) -> dict[str, Any]:
    positions = {
        name: Position.objects.values_list(
            "quantity", "sellable_quantity", "pending_quantity", "pending_since"
        ).get(pk=p.pk)
        for name, p in trades["positions"].items()
    }
    orders = {
        name: Order.objects.values_list("status", flat=True).get(pk=o.pk)
        for name, o in trades["orders"].items()
    }
    return {"positions": positions, "orders": orders}


def test_the_run_expires_day_orders_and_rolls_what_was_bought_up_to_the_date(trades):
    run = clearing_run(business_date=FRIDAY)

    assert run.status == RunStatus.COMPLETED
    after = state(trades)
    assert after["positions"] == {
        "thursday": (1000, 1000, 0, None),
        "friday": (500, 500, 0, None),
        "monday": (300, 0, 300, MONDAY),  # bought after the date: its own run rolls it
    }
    assert after["orders"] == {
        "thursday": OrderStatus.EXPIRED,
        "friday": OrderStatus.EXPIRED,
        "monday": OrderStatus.ACCEPTED,
    }
    totals = run.steps.get(key="settle_trades").details["totals"]
    assert totals == {"orders_expired": "2", "positions_rolled": "2"}
    order = Order.objects.get(pk=trades["orders"]["friday"].pk)
    assert order.closed_note == f"expired after the close of {FRIDAY}"


def test_statements_come_after_the_roll(trades):
    run = clearing_run(business_date=FRIDAY)
    positions = run.steps.get(key="settle_trades").position
    assert positions < run.steps.get(key="statements").position
    assert positions > run.steps.get(key="fees").position


def test_a_rerun_changes_nothing_more(trades):
    clearing_run(business_date=FRIDAY)
    before = state(trades)

    rerun = clearing_run(business_date=FRIDAY, rerun=True)

    assert rerun.status == RunStatus.COMPLETED
    assert state(trades) == before
    totals = rerun.steps.get(key="settle_trades").details["totals"]
    assert totals == {"orders_expired": "0", "positions_rolled": "0"}


def test_a_worker_killed_inside_the_step_leaves_nothing_half_done_and_resumes(trades):
    untouched = state(trades)

    def kill(stage: str, key: str, shard_no: int | None) -> None:
        if (stage, key) == ("before_commit", "settle_trades"):
            raise WorkerKilled("before_commit settle_trades")

    runs.checkpoint = kill
    try:
        with pytest.raises(WorkerKilled):
            clearing_run(business_date=FRIDAY)
    finally:
        runs.checkpoint = None
    # The step's transaction was lost: no order expired, no position rolled.
    assert state(trades) == untouched
    assert ClearingRun.objects.get().status == RunStatus.RUNNING

    finished = clearing_run(business_date=FRIDAY)

    assert finished.status == RunStatus.COMPLETED
    after = state(trades)
    assert after["orders"]["friday"] == OrderStatus.EXPIRED
    assert after["positions"]["thursday"] == (1000, 1000, 0, None)
    assert after["positions"]["monday"] == (300, 0, 300, MONDAY)


def test_a_worker_killed_after_the_step_committed_does_not_do_it_twice(trades):
    def kill(stage: str, key: str, shard_no: int | None) -> None:
        if (stage, key) == ("after_commit", "settle_trades"):
            raise WorkerKilled("after_commit settle_trades")

    runs.checkpoint = kill
    try:
        with pytest.raises(WorkerKilled):
            clearing_run(business_date=FRIDAY)
    finally:
        runs.checkpoint = None
    done = state(trades)

    finished = clearing_run(business_date=FRIDAY)

    assert finished.status == RunStatus.COMPLETED
    assert state(trades) == done
    assert finished.steps.get(key="settle_trades").details["totals"]["orders_expired"] == "2"


def test_a_statement_values_the_holdings_at_the_close_of_its_date(define_package, borrower, clock):
    """A buy of a later trade date is not in an earlier night's statement, even when the date
    is cleared (or rerun) after that buy."""
    from custody.services.fills import fill_capture
    from tests.custody.factories import DailyBarFactory
    from tests.settlement.conftest import SHANGHAI

    account = borrower(define_package("p365", "0.0600", "ACT/365"), principal="0")
    stock = InstrumentFactory.create()
    for day in (FRIDAY, MONDAY):
        DailyBarFactory.create(instrument=stock, date=day, close=Decimal("10.00"))
    order = open_order(account, MONDAY, 9, stock)
    clock.move_to(evening(MONDAY))
    fill_capture(
        order=order,
        exec_id="EX-1",
        quantity=100,
        price=Decimal("10.00"),
        executed_at=datetime(2026, 3, 9, 10, tzinfo=SHANGHAI),
    )

    clearing_run(business_date=FRIDAY)
    clearing_run(business_date=MONDAY)

    friday = DailyStatement.objects.get(margin_account=account, business_date=FRIDAY)
    monday = DailyStatement.objects.get(margin_account=account, business_date=MONDAY)
    assert friday.securities_value == Decimal("0.00")
    assert friday.cash == Decimal("500000.00")
    assert monday.securities_value == Decimal("1000.00")
    assert monday.cash + monday.securities_value < friday.cash  # the buy's costs
