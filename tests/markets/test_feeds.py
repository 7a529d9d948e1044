"""The CSV replay feed, storing prices, the tick listeners and the latest-price selector."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from markets.enums import PriceSource
from markets.feeds import (
    BarEvent,
    CsvReplayFeed,
    PriceTick,
    QuoteEvent,
    register_price_listener,
    unregister_price_listener,
)
from markets.models import DailyBar, Quote
from markets.selectors import latest_prices
from tests.markets.conftest import FIXTURES, real_bars
from tests.markets.factories import DailyBarFactory, InstrumentFactory

D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _feed(*codes: str, **options) -> CsvReplayFeed:
    return CsvReplayFeed.from_directory(FIXTURES, list(codes), **options)


@pytest.mark.parametrize("code", ["000001", "000002", "000333"])
def test_the_replay_reproduces_every_real_close(code):
    real = real_bars(code)
    events = list(_feed(code).stream(date(2015, 6, 1), date(2016, 12, 30)))
    bars = [e for e in events if isinstance(e, BarEvent)]
    expected = {d: b for d, b in real.items() if d <= date(2016, 12, 30)}
    assert [b.day for b in bars] == sorted(expected)
    assert all(b.close == expected[b.day].close for b in bars)
    closing_quotes = {
        e.day: e.last for e in events if isinstance(e, QuoteEvent) and e.at.hour == 15
    }
    assert closing_quotes == {d: b.close for d, b in expected.items()}


def test_the_intraday_path_stays_in_the_days_range_and_is_deterministic():
    first = list(_feed("000333").stream(date(2015, 7, 1), date(2015, 7, 31)))
    again = list(_feed("000333").stream(date(2015, 7, 1), date(2015, 7, 31)))
    assert first == again
    real = real_bars("000333")
    for quote in (e for e in first if isinstance(e, QuoteEvent)):
        bar = real[quote.day]
        assert bar.low <= quote.last <= bar.high
    volumes = [e.volume for e in first if isinstance(e, QuoteEvent) and e.day == date(2015, 7, 8)]
    assert volumes == sorted(volumes) and volumes[-1] == real[date(2015, 7, 8)].volume


def test_a_one_price_limit_down_day_is_quoted_with_no_bid():
    quotes = [
        e
        for e in _feed("000002").stream(date(2016, 7, 4), date(2016, 7, 5))
        if isinstance(e, QuoteEvent)
    ]
    assert len(quotes) == 18  # every 30 trading minutes, 09:30 to 15:00, two days
    assert {(q.day, q.last, q.bid, q.ask) for q in quotes} == {
        (date(2016, 7, 4), D("21.99"), None, D("21.99")),
        (date(2016, 7, 5), D("19.79"), None, D("19.79")),
    }
    assert quotes[0].at == datetime(2016, 7, 4, 9, 30, tzinfo=SHANGHAI)
    assert quotes[4].at == datetime(2016, 7, 4, 11, 30, tzinfo=SHANGHAI)
    assert quotes[5].at == datetime(2016, 7, 4, 13, 30, tzinfo=SHANGHAI)


def test_several_codes_are_merged_in_time_order():
    events = list(_feed("000001", "000002").stream(date(2016, 7, 4), date(2016, 7, 4)))
    keys = [(e.at, isinstance(e, BarEvent), e.code) for e in events]
    assert keys == sorted(keys)
    assert {e.code for e in events} == {"000001", "000002"}


@pytest.mark.django_db
def test_replay_prices_stores_quotes_and_bars_and_tells_the_listeners(capsys):
    vanke = InstrumentFactory.create(code="000002", name="万科A")
    heard: list[PriceTick] = []
    register_price_listener(heard.append)
    try:
        call_command(
            "replay_prices", "--from", "2016-07-01", "--to", "2016-07-08", "--codes", "000002"
        )
    finally:
        unregister_price_listener(heard.append)
    assert Quote.objects.filter(instrument=vanke).count() == 45  # 5 trading days × 9
    assert list(vanke.bars.values_list("date", "close", "source")) == [
        (date(2016, 7, 4), D("21.99"), PriceSource.REPLAY),
        (date(2016, 7, 5), D("19.79"), PriceSource.REPLAY),
        (date(2016, 7, 6), D("19.80"), PriceSource.REPLAY),
        (date(2016, 7, 7), D("18.82"), PriceSource.REPLAY),
        (date(2016, 7, 8), D("18.75"), PriceSource.REPLAY),
    ]
    assert len(heard) == 45
    assert {t.instrument_ids for t in heard} == {(vanke.pk,)}
    assert [t.closing for t in heard].count(True) == 5
    assert heard[0].at == datetime(2016, 7, 4, 9, 30, tzinfo=SHANGHAI)
    assert "5 day(s), 45 quotes, 5 bars" in capsys.readouterr().out
    # A second run stores the same rows again, no more.
    call_command("replay_prices", "--from", "2016-07-01", "--to", "2016-07-08", "--codes", "000002")
    assert Quote.objects.count() == 45 and DailyBar.objects.count() == 5


@pytest.mark.django_db
def test_replay_refuses_an_instrument_it_does_not_know():
    with pytest.raises(CommandError, match="unknown instruments: 000002"):
        call_command(
            "replay_prices", "--from", "2016-07-04", "--to", "2016-07-04", "--codes", "000002"
        )
    assert not Quote.objects.exists()


@pytest.mark.django_db
def test_replay_refuses_a_code_without_a_file():
    with pytest.raises(CommandError, match="no bar file for 600000"):
        call_command(
            "replay_prices", "--from", "2016-07-04", "--to", "2016-07-04", "--codes", "600000"
        )


@pytest.mark.django_db
def test_a_failing_listener_stops_the_replay_but_keeps_the_prices_it_was_told_about():
    InstrumentFactory.create(code="000002")

    def broken(tick: PriceTick) -> None:
        raise RuntimeError("risk engine down")

    register_price_listener(broken)
    try:
        with pytest.raises(RuntimeError, match="risk engine down"):
            call_command(
                "replay_prices", "--from", "2016-07-04", "--to", "2016-07-08", "--codes", "000002"
            )
    finally:
        unregister_price_listener(broken)
    assert Quote.objects.count() == 1  # the first instant was stored, then the listener failed


@pytest.mark.django_db
def test_latest_prices_in_one_query(django_assert_num_queries):
    quoted, closed, nothing = (InstrumentFactory.create() for _ in range(3))
    DailyBarFactory.create(instrument=quoted, date=date(2024, 6, 3), close=D("10.00"))
    DailyBarFactory.create(instrument=closed, date=date(2024, 6, 3), close=D("20.00"))
    at = datetime(2024, 6, 4, 10, 0, tzinfo=SHANGHAI)
    Quote.objects.create(
        instrument=quoted,
        day=date(2024, 6, 4),
        ts=at,
        last=D("10.50"),
        volume=D(1000),
        source=PriceSource.FEED,
    )
    with django_assert_num_queries(1):
        prices = latest_prices([quoted.pk, closed.pk, nothing.pk])
    assert (prices[quoted.pk].price, prices[quoted.pk].kind) == (D("10.5000"), "quote")
    assert (prices[closed.pk].price, prices[closed.pk].kind) == (D("20.0000"), "close")
    assert nothing.pk not in prices
    before = latest_prices([quoted.pk], as_of=datetime(2024, 6, 4, 9, 0, tzinfo=SHANGHAI))
    assert before[quoted.pk].price == D("10.0000")
    # Once the day's bar is in, its close is the price of the day.
    DailyBarFactory.create(instrument=quoted, date=date(2024, 6, 4), close=D("10.40"))
    assert latest_prices([quoted.pk])[quoted.pk].price == D("10.4000")


@pytest.mark.django_db
def test_a_crossed_quote_is_refused_and_nothing_of_its_instant_is_stored():
    from core.exceptions import InvalidInput
    from markets.services import prices_record

    a, b = InstrumentFactory.create(code="600000"), InstrumentFactory.create(code="600036")
    at = datetime(2024, 6, 3, 10, 0, tzinfo=SHANGHAI)
    good = QuoteEvent(a.code, at, date(2024, 6, 3), D("10.00"), D("9.99"), D("10.01"))
    crossed = QuoteEvent(b.code, at, date(2024, 6, 3), D("30.00"), D("30.05"), D("30.01"))
    with pytest.raises(
        InvalidInput, match=r"600036 at 2024-06-03T10:00:00\+08:00: ask 30.01 is below bid 30.05"
    ):
        prices_record(events=[good, crossed], source=PriceSource.FEED)
    assert not Quote.objects.exists()


@pytest.mark.django_db
def test_a_replay_that_ends_before_it_starts_is_refused():
    InstrumentFactory.create(code="000002")
    with pytest.raises(
        CommandError, match=r"the replay ends \(2016-07-01\) before it starts \(2016-07-08\)"
    ):
        call_command(
            "replay_prices", "--from", "2016-07-08", "--to", "2016-07-01", "--codes", "000002"
        )
