"""A replay of China Vanke (000002) around its 2016 resumption through the whole trading chain:
real bars played by ``markets.feeds`` (replay_prices), orders through ``order_submit``, fills
from the execution simulator. On the one-price limit-down days 2016-07-04 and 07-05 sellers
get nothing: no fill, no posting, no position change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from custody.brokers import SimulatorBroker, order_execute
from custody.enums import OrderStatus
from custody.models import JournalEntry, Position
from custody.selectors import natural_balances
from custody.services.orders import orders_expire
from custody.services.positions import positions_roll_sellable
from custody.services.trading_reconcile import trading_differences
from markets.models import Instrument
from markets.rules import market_day
from tests.custody.factories import InstrumentFactory
from tests.custody.trading import make_trader, submit

D = Decimal
BOUGHT_ON = date(2015, 12, 18)  # the last trading day before the suspension


@pytest.fixture
def vanke(db) -> Instrument:
    instrument = InstrumentFactory.create(
        code="000002", exchange="XSHE", board="main", name="万科A China Vanke"
    )
    call_command("replay_prices", "--from", "2015-12-01", "--to", "2016-07-08", "--codes", "000002")
    return instrument


@pytest.mark.django_db
def test_sell_orders_get_no_fill_on_the_one_price_limit_down_days(make_staff, vanke):
    account = make_trader(make_staff, cash="300000", limit=None)
    broker = SimulatorBroker(participation=D("0.10"))
    buy = submit(account, vanke, "buy", 10000, "24.43", on=BOUGHT_ON)
    assert buy.accepted, buy.reasons
    fills, _ = order_execute(order=buy.order, broker=broker, day=BOUGHT_ON)
    assert sum(f.quantity for f in fills) == 10000
    positions_roll_sellable(business_date=BOUGHT_ON)
    entries = JournalEntry.objects.count()
    cash = natural_balances(account)

    for day in (date(2016, 7, 4), date(2016, 7, 5)):
        limit_down = market_day(vanke, day).limit_down
        assert vanke.bars.get(date=day).is_one_price
        sell = submit(account, vanke, "sell", 10000, str(limit_down), on=day)
        assert sell.accepted, sell.reasons  # a valid order: at the limit-down, on the tick

        fills, reasons = order_execute(order=sell.order, broker=broker, day=day)

        assert fills == []
        assert reasons == ("no bid at any quote: the other side was queued at the limit",)
        orders_expire(trade_date=day)
        sell.order.refresh_from_db()
        assert sell.order.status == OrderStatus.EXPIRED
        assert JournalEntry.objects.count() == entries
        assert natural_balances(account) == cash
        position = Position.objects.get(margin_account=account)
        assert (position.quantity, position.sellable_quantity) == (10000, 10000)

    # 2016-07-06 the stock trades again (low 19.10, high 20.78): the sellers fill.
    day = date(2016, 7, 6)
    sell = submit(account, vanke, "sell", 10000, "19.50", on=day)
    fills, _ = order_execute(order=sell.order, broker=broker, day=day)
    assert sum(f.quantity for f in fills) == 10000
    assert all(f.price >= D("19.50") for f in fills)
    assert Position.objects.get(margin_account=account).quantity == 0
    assert trading_differences() == []
