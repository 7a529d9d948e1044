"""Daily price-limit bands, limit prices, ticks, lots and halts (A-share rules as data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.exceptions import InvalidInput
from markets.enums import InstrumentKind, Side
from markets.rules import (
    LotRule,
    limit_prices,
    limit_prices_from,
    lot_problems,
    market_days,
    price_band,
    round_to_tick,
    validate_lot,
    validate_order_price,
)
from tests.markets.factories import InstrumentFactory, SuspensionFactory

pytestmark = pytest.mark.django_db
D = Decimal
CENT = D("0.01")


@pytest.mark.parametrize(
    ("code", "kind", "is_st", "rate"),
    [
        ("600519", InstrumentKind.STOCK, False, "0.10"),  # Shanghai main board
        ("000858", InstrumentKind.STOCK, False, "0.10"),  # Shenzhen main board
        ("300750", InstrumentKind.STOCK, False, "0.20"),  # ChiNext
        ("688981", InstrumentKind.STOCK, False, "0.20"),  # STAR
        ("835185", InstrumentKind.STOCK, False, "0.30"),  # Beijing exchange
        ("600898", InstrumentKind.STOCK, True, "0.05"),  # main-board ST
        ("300096", InstrumentKind.STOCK, True, "0.20"),  # ChiNext ST keeps the board band
        ("510300", InstrumentKind.ETF, False, "0.10"),  # ETF
    ],
)
def test_the_band_by_board_st_and_kind(book, code, kind, is_st, rate):
    instrument = InstrumentFactory.create(code=code, kind=kind, is_st=is_st)
    band = price_band(instrument, date(2024, 6, 3), book=book)
    assert band.rate == D(rate)


def test_main_board_st_band_widens_from_5_to_10_percent_on_2026_07_06(book):
    st_stock = InstrumentFactory.create(code="600898", is_st=True)
    assert price_band(st_stock, date(2026, 7, 3), book=book).rate == D("0.05")
    assert price_band(st_stock, date(2026, 7, 5), book=book).rate == D("0.05")
    band = price_band(st_stock, date(2026, 7, 6), book=book)
    assert band.rate == D("0.10")
    assert band.reason == "main-board ST ±10%"


def test_chinext_band_widens_from_10_to_20_percent_on_2020_08_24(book):
    chinext = InstrumentFactory.create(code="300059")
    assert price_band(chinext, date(2020, 8, 21), book=book).rate == D("0.10")
    assert price_band(chinext, date(2020, 8, 24), book=book).rate == D("0.20")


def test_no_limit_in_a_star_stocks_first_five_trading_days_counted_over_a_holiday(book):
    # Listed Fri 2024-09-27; the National Day week closes the market until 2024-10-08.
    star = InstrumentFactory.create(code="688799", listing_date=date(2024, 9, 27))
    free_days = [date(2024, 9, 27), date(2024, 9, 30), date(2024, 10, 8), date(2024, 10, 9)]
    for day in [*free_days, date(2024, 10, 10)]:
        assert price_band(star, day, book=book).rate is None, day
    assert price_band(star, date(2024, 10, 10), book=book).reason == (
        "no limit: trading day 5 of the first 5 after listing on 2024-09-27"
    )
    assert price_band(star, date(2024, 10, 11), book=book).rate == D("0.20")


def test_first_days_rule_follows_the_listing_date_regime(book):
    # Main board: 5 free days only for listings from the 2023-04-10 registration reform.
    before = InstrumentFactory.create(code="603000", listing_date=date(2023, 3, 1))
    after = InstrumentFactory.create(code="603001", listing_date=date(2023, 4, 10))
    assert price_band(before, date(2023, 3, 1), book=book).rate is None
    assert price_band(before, date(2023, 3, 2), book=book).rate == D("0.10")
    assert price_band(after, date(2023, 4, 14), book=book).rate is None  # day 5
    assert price_band(after, date(2023, 4, 17), book=book).rate == D("0.10")  # day 6
    # ChiNext: the first registration listings (2020-08-24) had 5 days without limit.
    chinext = InstrumentFactory.create(code="300864", listing_date=date(2020, 8, 24))
    assert price_band(chinext, date(2020, 8, 28), book=book).rate is None
    assert price_band(chinext, date(2020, 8, 31), book=book).rate == D("0.20")


def test_limit_prices_reproduce_vanke_2016_resumption(vanke):
    # Suspended from 2015-12-21 at a close of 24.43; two one-price limit-down days followed.
    assert limit_prices(vanke, date(2016, 7, 4)) == (D("26.87"), D("21.99"))
    assert limit_prices(vanke, date(2016, 7, 5)) == (D("24.19"), D("19.79"))  # 21.99×0.9=19.791
    assert vanke.bars.get(date="2016-07-04").close == D("21.99")
    assert vanke.bars.get(date="2016-07-05").close == D("19.79")


@pytest.mark.parametrize(
    ("prev", "rate", "up", "down"),
    [
        ("21.99", "0.10", "24.19", "19.79"),  # 24.189 up, 19.791 down
        ("10.10", "0.05", "10.61", "9.60"),  # 10.605 rounds half up (not to even)
        ("10.05", "0.10", "11.06", "9.05"),  # 11.055 → 11.06, 9.045 → 9.05
        ("3.33", "0.20", "4.00", "2.66"),  # 3.996 → 4.00, 2.664 → 2.66
        ("0.05", "0.10", "0.06", "0.05"),  # 0.055 → 0.06, 0.045 → 0.05
        ("0.01", "0.30", "0.01", "0.01"),  # never below one tick
    ],
)
def test_limit_price_rounding_examples(prev, rate, up, down):
    assert limit_prices_from(D(prev), D(rate), CENT) == (D(up), D(down))


@given(
    cents=st.integers(min_value=1, max_value=10_000_000),
    rate=st.sampled_from([D("0.05"), D("0.10"), D("0.20"), D("0.30")]),
)
def test_limit_prices_are_on_the_tick_and_around_the_previous_close(cents, rate):
    prev = D(cents) * CENT
    up, down = limit_prices_from(prev, rate, CENT)
    assert up % CENT == 0 and down % CENT == 0
    assert down <= prev <= up
    assert abs(up - prev * (1 + rate)) <= CENT / 2
    assert down == CENT or abs(down - prev * (1 - rate)) <= CENT / 2


def test_round_to_tick_for_fund_ticks():
    assert round_to_tick(D("3.0005"), D("0.001")) == D("3.001")
    assert round_to_tick(D("3.0004"), D("0.001")) == D("3.000")


def test_an_order_price_off_the_tick_is_refused(vanke):
    with pytest.raises(InvalidInput) as refused:
        validate_order_price(vanke, date(2016, 7, 6), D("19.805"))
    assert str(refused.value) == "price 19.805 is off the 0.01 tick"
    assert refused.value.field == "price"
    assert validate_order_price(vanke, date(2016, 7, 6), D("19.80")) == D("19.80")


def test_an_order_price_outside_the_band_is_refused_with_the_limit_and_day(vanke):
    with pytest.raises(
        InvalidInput, match=r"^19.70 is below the limit-down price 19.79 for 2016-07-05$"
    ):
        validate_order_price(vanke, date(2016, 7, 5), D("19.70"))
    with pytest.raises(
        InvalidInput, match=r"^24.20 is above the limit-up price 24.19 for 2016-07-05$"
    ):
        validate_order_price(vanke, date(2016, 7, 5), D("24.20"))


def test_every_reason_is_given_at_once(vanke):
    with pytest.raises(InvalidInput) as refused:
        validate_order_price(vanke, date(2016, 7, 5), D("10.005"))
    assert str(refused.value) == (
        "price 10.005 is off the 0.01 tick; "
        "10.005 is below the limit-down price 19.79 for 2016-07-05"
    )


def test_an_etf_ticks_in_tenths_of_a_cent(db):
    etf = InstrumentFactory.create(code="510300", kind=InstrumentKind.ETF)
    day = date(2024, 6, 3)
    assert validate_order_price(etf, day, D("3.512")) == D("3.512")
    with pytest.raises(InvalidInput, match="price 3.5125 is off the 0.001 tick"):
        validate_order_price(etf, day, D("3.5125"))


def test_a_suspended_instrument_refuses_orders(vanke):
    SuspensionFactory.create(
        instrument=vanke, suspended_on=date(2015, 12, 21), resumed_on=date(2016, 7, 4)
    )
    with pytest.raises(InvalidInput) as refused:
        validate_order_price(vanke, date(2016, 3, 1), D("24.43"))
    assert str(refused.value) == (
        "000002 is suspended on 2016-03-01 (pending a major asset restructuring)"
    )
    assert validate_order_price(vanke, date(2016, 7, 4), D("21.99")) == D("21.99")


def test_a_day_without_trading_refuses_orders(vanke):
    with pytest.raises(InvalidInput, match="2016-07-02 is not a trading day"):
        validate_order_price(vanke, date(2016, 7, 2), D("21.99"))


MAIN = LotRule(100, 100)
STAR = LotRule(200, 1)
BSE = LotRule(100, 1)


@pytest.mark.parametrize(
    ("lots", "side", "quantity", "held", "problem"),
    [
        (MAIN, Side.BUY, 150, 0, "buy quantity 150 must be a multiple of 100 shares"),
        (MAIN, Side.BUY, 50, 0, "buy quantity 50 is below the 100-share minimum"),
        (MAIN, Side.BUY, 0, 0, "quantity 0 must be a positive whole number of shares"),
        (
            MAIN,
            Side.SELL,
            120,
            250,
            "sell quantity 120 must be a multiple of 100 shares, or all 250 held "
            "(the odd lot of 50 may only be sold whole)",
        ),
        (MAIN, Side.SELL, 300, 250, "sell quantity 300 exceeds the 250 shares held"),
        (STAR, Side.BUY, 150, 0, "buy quantity 150 is below the 200-share minimum"),
        (
            STAR,
            Side.SELL,
            100,
            150,
            "sell quantity 100 must be at least 200 shares (then steps of 1), or all 150 held "
            "(the odd lot of 150 may only be sold whole)",
        ),
        (BSE, Side.BUY, 99, 0, "buy quantity 99 is below the 100-share minimum"),
    ],
)
def test_lot_refusals(lots, side, quantity, held, problem):
    assert lot_problems(lots, side, quantity, held) == [problem]


@pytest.mark.parametrize(
    ("lots", "side", "quantity", "held"),
    [
        (MAIN, Side.BUY, 300, 0),
        (MAIN, Side.SELL, 250, 250),  # everything
        (MAIN, Side.SELL, 50, 250),  # the odd lot alone, whole
        (MAIN, Side.SELL, 150, 250),  # a round lot with the whole odd lot
        (MAIN, Side.SELL, 200, 250),
        (STAR, Side.BUY, 201, 0),  # 200 then steps of 1
        (STAR, Side.SELL, 150, 150),  # a balance under 200 sold in one order
        (STAR, Side.SELL, 237, 500),
        (BSE, Side.BUY, 101, 0),
    ],
)
def test_lot_sizes_accepted(lots, side, quantity, held):
    assert lot_problems(lots, side, quantity, held) == []


def test_validate_lot_reads_the_board_rule(book):
    star = InstrumentFactory.create(code="688111")
    main = InstrumentFactory.create(code="600036")
    day = date(2024, 6, 3)
    validate_lot(star, Side.BUY, 201, day=day, book=book)
    with pytest.raises(InvalidInput, match="buy quantity 201 must be a multiple of 100 shares"):
        validate_lot(main, Side.BUY, 201, day=day, book=book)
    with pytest.raises(InvalidInput) as refused:
        validate_lot(star, Side.BUY, 199, day=day, book=book)
    assert refused.value.field == "quantity"


def test_rules_for_many_instruments_take_three_queries(vanke, django_assert_num_queries):
    others = [InstrumentFactory.create(code=c) for c in ("600036", "300750", "688981")]
    with django_assert_num_queries(3):  # rule book, previous closes, suspensions
        days = market_days([vanke, *others], date(2016, 7, 5))
    assert days[vanke.pk].limit_down == D("19.79")
    assert days[others[0].pk].prev_close is None and days[others[0].pk].limit_up is None


def test_a_rule_change_with_a_zero_tick_is_refused_and_nothing_is_proposed(book, risk_officer):
    from core.models import ParameterSet, ParameterVersion
    from core.params.schema import encode_values
    from core.params.services import parameter_change_propose

    rules = ParameterSet.objects.get(key="ashare-trading")
    current = dict(book.on(date(2026, 7, 6)).values)
    before = ParameterVersion.objects.count()
    with pytest.raises(InvalidInput, match="tick_size: a price tick must be above zero"):
        parameter_change_propose(
            parameter_set=rules,
            effective_from=date(2099, 1, 1),
            values=encode_values(rules.schema, {**current, "tick_size": D("0")}),
            maker=risk_officer,
            reason="typo",
        )
    assert ParameterVersion.objects.count() == before


def test_the_extended_rules_are_in_every_version(book):
    for day in (date(2015, 6, 1), date(2020, 8, 24), date(2026, 7, 6)):
        rules = book.on(day)
        assert (rules["buy_min_star"], rules["buy_step_star"]) == (200, 1)
        assert rules["tick_size_fund"] == D("0.001")
        assert rules["limit_fund"] == D("0.10")
