"""The trading demo (after the markets, accounts, credit and custody demos) runs twice alike.

(``demo_seed`` as a whole also runs the contracts demo; this test runs the stages the trading
book depends on, so that it checks trading whatever the state of the stages beside it.)
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.utils import timezone

from accounts.roles import sync_roles
from core.demo import DemoContext
from custody.models import Fill, FinancingMovement, JournalEntry, Order, Position
from custody.services.trading_reconcile import trading_differences

pytestmark = pytest.mark.django_db
STAGES = ["markets", "accounts", "credit", "custody", "risk"]


def seed_all() -> DemoContext:
    ctx = DemoContext(today=timezone.localdate(), log=lambda _: None)
    for label in STAGES:
        import_module(f"{label}.demo").seed(ctx)
    return ctx


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Order, Fill, Position, FinancingMovement, JournalEntry)
    )


def test_the_trading_demo_places_fills_and_reconciles_idempotently():
    sync_roles()
    ctx = seed_all()
    first = counts()
    seed_all()

    assert counts() == first
    assert Order.objects.filter(status="rejected").exists()
    assert Order.objects.filter(status="filled", side="sell").exists()
    assert Fill.objects.filter(side="buy").count() >= 4
    assert Position.objects.filter(quantity__gt=0).count() >= 4
    assert FinancingMovement.objects.filter(source="sale").exists()  # 卖券还款
    assert trading_differences() == []
    assert any(note.startswith("Trading:") for note in ctx.notes)
