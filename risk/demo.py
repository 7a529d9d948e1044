"""Risk's part of ``manage.py demo_seed``: the trading book (orders, fills, positions)."""

from __future__ import annotations

from core.demo import DemoContext
from risk import trading_demo


def seed(ctx: DemoContext) -> None:
    trading_demo.seed(ctx)
