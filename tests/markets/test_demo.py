"""The demo's market: real histories, a synthetic universe, a halt, a new listing, quotes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.demo import DemoContext
from markets import demo
from markets.enums import Board, InstrumentKind, PriceSource
from markets.models import DailyBar, Instrument, Quote, SeriesPoint
from markets.rules import limit_prices_from, market_days

pytestmark = pytest.mark.django_db
TODAY = date(2025, 9, 13)  # a Saturday: the demo's trading day is Friday 2025-09-12
SESSION = date(2025, 9, 12)


def _seed() -> DemoContext:
    ctx = DemoContext(today=TODAY, log=lambda _: None)
    demo.seed(ctx)
    return ctx


def test_the_demo_market_is_seeded_once_and_reused():
    ctx = _seed()
    counts = (Instrument.objects.count(), DailyBar.objects.count(), Quote.objects.count())
    _seed()
    assert (Instrument.objects.count(), DailyBar.objects.count(), Quote.objects.count()) == counts
    assert counts[0] == 35
    assert "replay_prices --from 2016-07-01" in ctx.notes[0]
    assert SeriesPoint.objects.filter(source=PriceSource.SYNTHETIC).count() == 60


def test_the_universe_spans_boards_kinds_and_statuses():
    _seed()
    instruments = Instrument.objects.all()
    assert {i.board for i in instruments} == set(Board.values)
    assert instruments.filter(kind=InstrumentKind.ETF).count() == 4
    assert instruments.filter(is_st=True).count() == 2
    assert instruments.filter(index_constituent=True).count() >= 20
    assert not instruments.filter(free_float_shares__isnull=True).exists()


def test_real_history_stays_real_and_later_bars_are_labelled_synthetic():
    _seed()
    vanke = Instrument.objects.get(code="000002")
    assert vanke.bars.get(date=date(2016, 7, 4)).source == PriceSource.FILE
    assert vanke.bars.get(date=date(2025, 5, 30)).source == PriceSource.FILE
    assert vanke.bars.get(date=date(2025, 6, 3)).source == PriceSource.SYNTHETIC
    assert not vanke.bars.filter(date__gte=SESSION).exists()  # today is still trading


def test_today_shows_a_halt_a_new_listing_without_limit_and_quotes_for_the_others():
    _seed()
    instruments = list(Instrument.objects.all())
    rules = market_days(instruments, SESSION)
    halted = [i.code for i in instruments if rules[i.pk].halt]
    assert halted == ["000999"]
    new = Instrument.objects.get(code="688799")
    assert rules[new.pk].band.reason.startswith("no limit: trading day 3 of the first 5")
    quoted = set(Quote.objects.filter(day=SESSION).values_list("instrument__code", flat=True))
    assert quoted == {i.code for i in instruments} - {"000999"}
    assert Quote.objects.filter(day=SESSION).count() == 34 * 49  # every 5 minutes
    for quote in Quote.objects.filter(day=SESSION).select_related("instrument"):
        day = rules[quote.instrument_id]
        if day.limit_up is not None:
            assert day.limit_down <= quote.last <= day.limit_up


def test_synthetic_bars_keep_inside_each_days_band():
    _seed()
    st_stock = Instrument.objects.get(code="600877")  # main-board ST: ±5% in 2025
    bars = list(st_stock.bars.order_by("date"))
    assert len(bars) > 60
    for prev, bar in zip(bars, bars[1:], strict=False):
        up, down = limit_prices_from(prev.close, Decimal("0.05"), Decimal("0.01"))
        assert (
            down
            <= bar.low
            <= min(bar.open, bar.close)
            <= max(bar.open, bar.close)
            <= bar.high
            <= up
        )
