"""Risk's Celery tasks (found by autodiscovery here): the margin engine's."""

from risk.margin.tasks import (
    margin_sweep_task,
    margin_sweep_trading_hours_task,
    margin_tick_task,
    send_notifications,
)

__all__ = [
    "margin_sweep_task",
    "margin_sweep_trading_hours_task",
    "margin_tick_task",
    "send_notifications",
]
