"""Risk's Celery tasks, found by autodiscovery."""

from risk.stress.tasks import assess_market_regime_task, refresh_liquidity_forecasts_task

__all__ = ["assess_market_regime_task", "refresh_liquidity_forecasts_task"]
