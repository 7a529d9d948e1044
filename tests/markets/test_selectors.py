"""Turnover and bar series for the liquidity models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import InvalidInput
from markets.selectors import bar_series, turnover_series
from tests.markets.factories import DailyBarFactory, InstrumentFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_turnover_is_volume_over_free_float_shares():
    stock = InstrumentFactory.create(free_float_shares=D(40_000_000))
    DailyBarFactory.create(instrument=stock, date=date(2024, 6, 3), volume=D(1_000_000))
    DailyBarFactory.create(instrument=stock, date=date(2024, 6, 4), volume=D(3))
    assert turnover_series(stock, date(2024, 6, 1), date(2024, 6, 30)) == [
        (date(2024, 6, 3), D("0.02500000")),
        (date(2024, 6, 4), D("0.00000008")),  # 7.5e-8 rounded half up to the rate precision
    ]


def test_turnover_without_free_float_is_refused():
    stock = InstrumentFactory.create(code="600036")
    with pytest.raises(InvalidInput, match="600036: free-float shares are not set"):
        turnover_series(stock, date(2024, 6, 1), date(2024, 6, 30))


def test_bar_series_for_many_instruments_in_one_query(django_assert_num_queries):
    a = InstrumentFactory.create(free_float_shares=D(1_000))
    b = InstrumentFactory.create()
    for day in (date(2024, 6, 3), date(2024, 6, 4)):
        DailyBarFactory.create(instrument=a, date=day, volume=D(100))
    DailyBarFactory.create(instrument=b, date=date(2024, 6, 4), volume=D(5))
    with django_assert_num_queries(1):
        series = bar_series([a.pk, b.pk], date(2024, 6, 4), date(2024, 6, 30))
    assert [(r.day, r.volume, r.turnover) for r in series[a.pk]] == [
        (date(2024, 6, 4), D(100), D("0.10000000"))
    ]
    assert [(r.day, r.turnover) for r in series[b.pk]] == [(date(2024, 6, 4), None)]
