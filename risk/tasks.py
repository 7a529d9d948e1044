"""Risk's Celery tasks, found by autodiscovery (the worker imports this module)."""

from risk.liquidation.tasks import (
    liquidation_start_for_call,
    liquidations_close_day,
    liquidations_resume,
)
from risk.margin.tasks import (
    margin_sweep_task,
    margin_sweep_trading_hours_task,
    margin_tick_task,
    send_notifications,
)
from risk.stress.tasks import (
    assess_market_regime_task,
    evaluate_liquidity_models_task,
    refresh_liquidity_forecasts_task,
)

__all__ = [
    "assess_market_regime_task",
    "evaluate_liquidity_models_task",
    "liquidation_start_for_call",
    "liquidations_close_day",
    "liquidations_resume",
    "margin_sweep_task",
    "margin_sweep_trading_hours_task",
    "margin_tick_task",
    "refresh_liquidity_forecasts_task",
    "send_notifications",
]
