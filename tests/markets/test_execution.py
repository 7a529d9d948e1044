"""The execution simulator: limits, one-price limit days, participation and lots."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from core.exceptions import InvalidInput
from markets.enums import OrderType, Side
from markets.execution import (
    SimBar,
    SimOrder,
    SimQuote,
    execute_on_bar,
    execute_on_quotes,
)
from markets.models import DailyBar, Instrument
from markets.rules import LotRule, MarketDay, PriceBand, limit_prices_from, market_day
from tests.markets.factories import InstrumentFactory

D = Decimal
TEN_PERCENT = D("0.10")
CAP = D("0.10")
ROUND_LOTS = LotRule(100, 100)


def _sim_bar(bar: DailyBar) -> SimBar:
    return SimBar(bar.date, bar.open, bar.high, bar.low, bar.close, bar.volume)


def _quotes(instrument: Instrument, day: date) -> list[SimQuote]:
    rows = instrument.quotes.filter(day=day).order_by("ts")
    return [SimQuote(q.ts, q.last, q.bid, q.ask, q.volume, q.bid_size, q.ask_size) for q in rows]


@pytest.fixture
def replayed_vanke(db) -> Instrument:
    """000002 as the replay leaves it: real bars and replayed quotes for 2016-06-01..07-08."""
    vanke = InstrumentFactory.create(code="000002", name="万科A")
    call_command("replay_prices", "--from", "2015-12-01", "--to", "2016-07-08", "--codes", "000002")
    return vanke


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(2016, 7, 4), date(2016, 7, 5)])
def test_vanke_sellers_get_no_fill_on_the_one_price_limit_down_days(replayed_vanke, day):
    market = market_day(replayed_vanke, day)
    bar = _sim_bar(replayed_vanke.bars.get(date=day))
    assert bar.one_price and bar.close == market.limit_down
    orders = [
        SimOrder(Side.SELL, 10_000, OrderType.MARKET, held=10_000),
        SimOrder(Side.SELL, 10_000, OrderType.LIMIT, market.limit_down, held=10_000),
    ]
    for order in orders:
        result = execute_on_bar(order, bar, market, participation=CAP)
        assert (result.fills, result.unfilled) == ((), 10_000)
        assert result.reasons == (
            f"000002 traded at one price, the limit-down {market.limit_down}, all day on {day}: "
            "sellers queued and got no fill",
        )
        on_quotes = execute_on_quotes(
            order, _quotes(replayed_vanke, day), market, participation=CAP
        )
        assert on_quotes.filled == 0
        assert on_quotes.reasons == ("no bid at any quote: the other side was queued at the limit",)


@pytest.mark.django_db
def test_vanke_buyers_fill_at_the_limit_down_up_to_the_participation_cap(replayed_vanke):
    day = date(2016, 7, 4)
    market = market_day(replayed_vanke, day)
    bar = _sim_bar(replayed_vanke.bars.get(date=day))
    small = execute_on_bar(
        SimOrder(Side.BUY, 10_000, OrderType.LIMIT, D("22.00")), bar, market, participation=CAP
    )
    assert [(f.quantity, f.price) for f in small.fills] == [(10_000, D("21.99"))]
    assert small.unfilled == 0
    # 4,266,300 shares traded all day; 10% is 426,630, taken in whole lots.
    big = execute_on_bar(
        SimOrder(Side.BUY, 1_000_000, OrderType.MARKET), bar, market, participation=CAP
    )
    assert (big.filled, big.unfilled) == (426_600, 573_400)
    assert big.reasons == ("participation cap: 426630 shares (0.10 of the day's 4266300)",)
    on_quotes = execute_on_quotes(
        SimOrder(Side.BUY, 10_000, OrderType.LIMIT, D("21.99")),
        _quotes(replayed_vanke, day),
        market,
        participation=CAP,
    )
    assert on_quotes.filled == 10_000 and on_quotes.average_price == D("21.99")


@pytest.mark.django_db
def test_vanke_sellers_fill_again_once_the_stock_trades_on_2016_07_06(replayed_vanke):
    day = date(2016, 7, 6)
    market = market_day(replayed_vanke, day)
    bar = _sim_bar(replayed_vanke.bars.get(date=day))  # open 19.10, high 20.78, low 19.10
    result = execute_on_bar(
        SimOrder(Side.SELL, 5_000, OrderType.LIMIT, D("19.50"), held=5_000),
        bar,
        market,
        participation=CAP,
    )
    assert [(f.quantity, f.price) for f in result.fills] == [(5_000, D("19.50"))]
    not_reached = execute_on_bar(
        SimOrder(Side.BUY, 5_000, OrderType.LIMIT, D("19.00")), bar, market, participation=CAP
    )
    assert not_reached.reasons == ("the limit 19.00 was not reached (low 19.10)",)


@pytest.mark.django_db
def test_an_order_outside_the_band_or_lot_is_refused_by_the_simulator(replayed_vanke):
    market = market_day(replayed_vanke, date(2016, 7, 5))
    bar = _sim_bar(replayed_vanke.bars.get(date=date(2016, 7, 5)))
    with pytest.raises(InvalidInput) as refused:
        execute_on_bar(
            SimOrder(Side.BUY, 150, OrderType.LIMIT, D("30.00")), bar, market, participation=CAP
        )
    assert str(refused.value) == (
        "buy quantity 150 must be a multiple of 100 shares; "
        "30.00 is above the limit-up price 24.19 for 2016-07-05"
    )


def _market(prev: str, day: date = date(2024, 6, 3), lots: LotRule = ROUND_LOTS) -> MarketDay:
    up, down = limit_prices_from(D(prev), TEN_PERCENT, D("0.01"))
    return MarketDay(
        "600000", day, D("0.01"), lots, PriceBand(TEN_PERCENT, "main"), D(prev), up, down
    )


def test_buyers_get_nothing_on_a_one_price_limit_up_day_and_sellers_fill():
    market = _market("10.00")
    bar = SimBar(market.day, D("11.00"), D("11.00"), D("11.00"), D("11.00"), D(50_000))
    buy = execute_on_bar(
        SimOrder(Side.BUY, 1_000, OrderType.LIMIT, D("11.00")), bar, market, participation=CAP
    )
    assert buy.filled == 0 and "buyers queued and got no fill" in buy.reasons[0]
    sell = execute_on_bar(
        SimOrder(Side.SELL, 1_000, OrderType.MARKET, held=1_000), bar, market, participation=CAP
    )
    assert [(f.quantity, f.price) for f in sell.fills] == [(1_000, D("11.00"))]


def test_an_odd_lot_sell_fills_whole_or_not_at_all():
    market = _market("10.00")
    bar = SimBar(market.day, D("10.00"), D("10.20"), D("9.90"), D("10.10"), D(2_000))
    # Cap 10% of 2,000 = 200 shares: 250 held and offered, 200 fill, the odd 50 waits.
    result = execute_on_bar(
        SimOrder(Side.SELL, 250, OrderType.MARKET, held=250), bar, market, participation=CAP
    )
    assert (result.filled, result.unfilled) == (200, 50)
    star = _market("10.00", lots=LotRule(200, 1))
    odd = execute_on_bar(
        SimOrder(Side.SELL, 150, OrderType.MARKET, held=150), bar, star, participation=D("0.05")
    )
    assert odd.filled == 0  # cap 100 < the 150 that must go in one piece


def test_quotes_fill_in_several_pieces_within_the_cap_and_the_quoted_size():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    market = _market("10.00")
    quotes = [
        SimQuote(
            datetime(2024, 6, 3, 9, 30, tzinfo=tz),
            D("10.00"),
            D("9.99"),
            D("10.01"),
            D(5_000),
            ask_size=D(300),
        ),
        SimQuote(
            datetime(2024, 6, 3, 10, 0, tzinfo=tz), D("10.05"), D("10.04"), D("10.06"), D(20_000)
        ),
        SimQuote(
            datetime(2024, 6, 3, 10, 30, tzinfo=tz), D("10.20"), D("10.19"), D("10.21"), D(40_000)
        ),
    ]
    result = execute_on_quotes(
        SimOrder(Side.BUY, 2_500, OrderType.LIMIT, D("10.10")), quotes, market, participation=CAP
    )
    # 09:30: cap 500, ask size 300 → 300; 10:00: cap 2,000 − 300 → 1,700;
    # 10:30: the ask is above the limit.
    assert [(f.quantity, f.price) for f in result.fills] == [(300, D("10.01")), (1_700, D("10.06"))]
    assert result.unfilled == 500


BAND = st.integers(min_value=900, max_value=1100)  # prices in cents around 10.00 (±10%)


@settings(max_examples=200, deadline=None)
@given(
    prices=st.lists(BAND, min_size=4, max_size=4),
    volume=st.integers(min_value=0, max_value=100_000),
    side=st.sampled_from([Side.BUY, Side.SELL]),
    lots=st.integers(min_value=1, max_value=50),
    limit=BAND,
    market_order=st.booleans(),
    participation=st.sampled_from([D("0.01"), D("0.1"), D("0.5"), D("1")]),
)
def test_fills_never_break_the_order_the_band_or_the_cap(
    prices, volume, side, lots, limit, market_order, participation
):
    o, c, a, b = (D(p) / 100 for p in prices)
    bar = SimBar(date(2024, 6, 3), o, max(o, c, a, b), min(o, c, a, b), c, D(volume))
    market = _market("10.00")
    quantity = lots * 100
    order = SimOrder(
        side,
        quantity,
        OrderType.MARKET if market_order else OrderType.LIMIT,
        None if market_order else D(limit) / 100,
        held=quantity,
    )
    result = execute_on_bar(order, bar, market, participation=participation)
    assert market.limit_down is not None and market.limit_up is not None
    limit = order.limit_price or Decimal(0)
    assert result.filled + result.unfilled == quantity
    assert result.filled <= volume * participation
    for fill in result.fills:
        assert market.limit_down <= fill.price <= market.limit_up
        assert bar.low <= fill.price <= bar.high
        assert fill.quantity % 100 == 0
        if not market_order and side == Side.BUY:
            assert fill.price <= limit
        if not market_order and side == Side.SELL:
            assert fill.price >= limit
