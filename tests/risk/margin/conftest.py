"""Margin-engine fixtures: a client on the ``balanced`` package (warning 140%, liquidation 130%,
top-up target 160%, cure period 2 trading days), financed CNY 100,000 and holding 10,000
shares marked at CNY 10 — a ratio of 200% — and helpers that move the price."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
import pytest

from custody.models import MarginAccount
from markets.enums import PriceSource
from markets.models import Instrument, Quote
from risk.margin import engine, hooks
from risk.margin.models import MarginCall
from tests.custody.conftest import lend
from tests.custody.factories import PositionFactory
from tests.custody.trading import TODAY, at, credit_rules, frozen, make_trader, stock  # noqa: F401

D = Decimal


class QuoteFactory(factory.django.DjangoModelFactory[Quote]):
    class Meta:
        model = Quote

    day = TODAY
    ts = factory.LazyAttribute(lambda q: at(q.day, 10, 0))
    last = D("10.00")
    volume = D("1000000")
    source = PriceSource.FEED


_seconds = {"n": 0}


def quote(instrument: Instrument, price: str, day: date = TODAY) -> Quote:
    """A new last price for ``instrument`` (each one a second later, so the latest wins)."""
    _seconds["n"] += 1
    when = at(day, 10, 0) + timedelta(seconds=_seconds["n"])
    return QuoteFactory.create(instrument=instrument, day=day, ts=when, last=D(price))


def borrower(
    make_staff: Any,
    instrument: Instrument,
    *,
    shares: str = "10000",
    debt: str = "100000",
    package: str = "balanced",
) -> MarginAccount:
    account = make_trader(make_staff, package=package)
    if D(debt) > 0:
        lend(account, debt)
    PositionFactory.create(margin_account=account, instrument=instrument, quantity=D(shares))
    return account


@pytest.fixture(autouse=True)
def fresh_engine() -> Iterator[None]:
    engine.reset()
    yield
    engine.reset()


@pytest.fixture
def liquidation_started() -> Iterator[list[tuple[MarginCall, Any]]]:
    started: list[tuple[MarginCall, Any]] = []

    def starter(call: MarginCall, *, actor: Any) -> None:
        started.append((call, actor))

    hooks.register_liquidation_starter(starter)
    yield started
    hooks.unregister_liquidation_starter(starter)


@pytest.fixture
def a600(credit_rules) -> Instrument:  # noqa: F811
    return stock("600000")


@pytest.fixture
def account(make_staff, a600) -> MarginAccount:
    return borrower(make_staff, a600)
