"""Valuation: latest close on or before the date, one query for many accounts, the ratio."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from custody.valuation import account_valuation, market_values, valuations
from tests.custody.conftest import fund, lend
from tests.custody.factories import DailyBarFactory, InstrumentFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_securities_are_marked_at_the_last_close_on_or_before_the_date(account):
    instrument = InstrumentFactory.create()
    PositionFactory.create(margin_account=account, instrument=instrument, quantity=Decimal("300"))
    DailyBarFactory.create(instrument=instrument, date=date(2026, 3, 2), close=Decimal("10.00"))
    DailyBarFactory.create(instrument=instrument, date=date(2026, 3, 4), close=Decimal("12.34"))

    assert market_values([account.pk], date(2026, 3, 1)) == {}
    assert market_values([account.pk], date(2026, 3, 3)) == {account.pk: Decimal("3000.00")}
    assert market_values([account.pk], date(2026, 3, 9)) == {account.pk: Decimal("3702.00")}


def test_ratio_is_assets_over_debt_and_infinite_without_debt(account):
    fund(account, "1000.00")
    assert account_valuation(margin_account=account, on=date(2026, 3, 2)).ratio is None
    lend(account, "2000.00")  # cash 3,000 against 2,000 owed
    valuation = account_valuation(margin_account=account, on=date(2026, 3, 2))
    assert (valuation.cash, valuation.liabilities, valuation.ratio) == (
        Decimal("3000.00"),
        Decimal("2000.00"),
        Decimal("1.5"),
    )
    assert valuation.withdrawable(Decimal("1.4")) == Decimal("200.00")
    assert valuation.withdrawable(Decimal("3")) == Decimal("0")


def test_many_accounts_are_valued_in_a_fixed_number_of_queries(
    make_account, django_assert_num_queries
):
    accounts = [make_account() for _ in range(5)]
    for account in accounts:
        position = PositionFactory.create(margin_account=account)
        DailyBarFactory.create(instrument=position.instrument, date=date(2026, 3, 2))
        fund(account, "10.00")
    with django_assert_num_queries(2):
        result = valuations([a.pk for a in accounts], date(2026, 3, 2))
    assert {v.assets for v in result.values()} == {Decimal("10010.00")}
