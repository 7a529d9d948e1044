"""The trading demo (after the markets, accounts, credit, contracts and custody demos) runs
twice alike, trading only for clients whose signed contracts activated their lines."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.utils import timezone

from accounts.roles import sync_roles
from contracts.models import Contract
from core.demo import DemoContext
from credit.enums import CreditLineStatus
from credit.models import CreditLine
from custody.models import Fill, FinancingMovement, JournalEntry, Order, Position
from custody.services.trading_reconcile import trading_differences

# Real commits: the contracts demo reads its own signing code, delivered after commit.
pytestmark = pytest.mark.django_db(transaction=True)
STAGES = ["markets", "accounts", "credit", "contracts", "custody", "risk"]


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
    traders = Order.objects.values_list("margin_account__client_id", flat=True).distinct()
    assert set(
        CreditLine.objects.filter(client_id__in=traders).values_list("status", flat=True)
    ) == {CreditLineStatus.ACTIVE}
    assert Contract.objects.filter(client_id__in=traders, status="active").count() == len(
        set(traders)
    )
    assert any(note.startswith("Trading:") for note in ctx.notes)
