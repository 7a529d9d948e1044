"""Risk's part of ``manage.py demo_seed``: the trading book (orders, fills, positions), a margin
sweep over it, the liquidation desk's view of any account below its line, and the stress
scenarios with one run over the book."""

from __future__ import annotations

from core.demo import DemoContext
from risk import liquidation_demo, margin_demo, stress_demo, trading_demo


def seed(ctx: DemoContext) -> None:
    trading_demo.seed(ctx)
    margin_demo.seed(ctx)
    liquidation_demo.seed(ctx)
    stress_demo.seed(ctx)
