"""Risk's part of ``manage.py demo_seed``: the trading book (orders, fills, positions), then a
margin sweep over it."""

from __future__ import annotations

from core.demo import DemoContext
from risk import margin_demo, trading_demo


def seed(ctx: DemoContext) -> None:
    trading_demo.seed(ctx)
    margin_demo.seed(ctx)
