"""PostgreSQL: two margin buys (or drawdowns) at the same moment cannot together exceed the line.

Each thread has its own connection and commits for real; ``order_submit`` locks the margin
account row, so the second check sees the first order's reservation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connections

from core.exceptions import DomainError
from custody.enums import OrderStatus
from custody.models import FinancingMovement, Order
from custody.services.financing import financing_draw
from tests.custody.trading import make_trader, stock, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = Decimal

SEEDS = [
    "markets.migrations.0002_ashare_trading_rules",
    "markets.migrations.0006_trading_rules_funds_lots_series",
    "credit.migrations.0002_parameter_sets",
    "custody.migrations.0002_chart_and_parameters",
    "custody.migrations.0005_trading_parameters",
]


@pytest.fixture
def reseed(transactional_db):
    """A transactional test may follow another that flushed the database: seed the rules again."""
    for name in SEEDS:
        module = import_module(name)
        seed = getattr(module, "seed", None) or module.forwards
        seed(django_apps, None)


def in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except DomainError as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_simultaneous_margin_buys_cannot_exceed_the_line(reseed, credit_rules, make_staff):
    account = make_trader(make_staff, cash="100000", limit="30000")
    instrument = stock("600000")

    # Each alone needs 20,037.20 of financing (within 30,000); together 40,074.40.
    results = in_threads(
        2, lambda i: submit(account, instrument, "buy", 12000, "10.00", idempotency_key=f"p{i}")
    )

    statuses = sorted(r.order.status for r in results)
    assert statuses == [OrderStatus.ACCEPTED, OrderStatus.REJECTED]
    rejected = next(r for r in results if not r.accepted)
    assert rejected.reasons[0] == (
        "buying power: the order needs CNY 240,074.40 with open buy orders, cash is CNY "
        "100,000.00, so CNY 140,074.40 would be financed, above the available credit of CNY "
        "30,000.00 (limit CNY 30,000.00, used CNY 0.00)"
    )
    assert Order.objects.filter(status=OrderStatus.ACCEPTED).count() == 1


def test_two_simultaneous_drawdowns_cannot_exceed_the_line(reseed, credit_rules, make_staff):
    account = make_trader(make_staff, cash="100000", limit="50000")

    results = in_threads(
        2,
        lambda i: financing_draw(
            margin_account=account, amount="30000", by=None, idempotency_key=f"d{i}"
        ),
    )

    assert sum(isinstance(r, FinancingMovement) for r in results) == 1
    refusal = next(r for r in results if isinstance(r, DomainError))
    assert str(refusal) == (
        "drawdown of CNY 30,000.00 is above the available credit of CNY 20,000.00 "
        "(limit CNY 50,000.00, used CNY 30,000.00)"
    )
    assert FinancingMovement.objects.get().amount == D("30000.00")
