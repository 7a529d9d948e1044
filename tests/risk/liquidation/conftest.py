"""Liquidation fixtures: the trading day and credit rules shared with the trading tests, and a
helper that books a holding the way a past fill would (financed beyond the cash)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from custody.enums import OrderChannel
from custody.models import MarginAccount, Order
from custody.services.fills import fill_capture
from custody.services.orders import OrderSpec, order_record
from markets.models import Instrument
from tests.custody.trading import at, credit_rules, frozen  # noqa: F401

_n = {"n": 0}


def book_buy(
    account: MarginAccount, instrument: Instrument, quantity: int, price: str, day: date
) -> Order:
    """A filled buy on ``day`` (the order recorded as accepted, then filled in one piece).

    A fill is an exchange fact: the test states what the client holds and owes without running
    the buying-power and concentration checks an entry channel would (they are tested there).
    """
    _n["n"] += 1
    order = order_record(
        spec=OrderSpec(
            margin_account=account,
            instrument=instrument,
            side="buy",
            order_type="limit",
            quantity=quantity,
            limit_price=Decimal(price),
            reference_price=Decimal(price),
            channel=OrderChannel.OPS,
            purpose="trade",
            liquidation_ref="",
            trade_date=day,
            idempotency_key=f"liq-test-buy-{_n['n']}",
        ),
        reasons=[],
        what_if={},
        submitted_by=None,
    )
    fill_capture(
        order=order,
        exec_id=f"LIQTEST-{_n['n']}",
        quantity=quantity,
        price=Decimal(price),
        executed_at=at(day, 10, 0),
    )
    order.refresh_from_db()
    return order
