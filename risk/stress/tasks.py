"""After-close liquidity jobs; each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from markets.calendar import is_trading_day
from risk.stress.evaluation_services import liquidity_models_evaluate
from risk.stress.liquidity_services import liquidity_forecasts_refresh, market_regime_assess


@shared_task(name="risk.refresh_liquidity_forecasts")
def refresh_liquidity_forecasts_task() -> dict[str, int]:
    today = timezone.localdate()
    if not is_trading_day(today):
        return {"stored": 0}
    return {"stored": liquidity_forecasts_refresh(on=today)}


@shared_task(name="risk.assess_market_regime")
def assess_market_regime_task() -> dict[str, str]:
    """Assess today's regime after the close. A change is proposed by the system user
    (``core.system``) and waits for a risk officer; nothing happens on a non-trading day, and a
    second run the same day returns the stored reading."""
    from core.system import system_user

    today = timezone.localdate()
    if not is_trading_day(today):
        return {"regime": "", "action": "not a trading day"}
    reading = market_regime_assess(on=today, maker=system_user())
    return {"regime": reading.regime, "action": reading.action}


@shared_task(name="risk.evaluate_liquidity_models")
def evaluate_liquidity_models_task(
    actor_id: int | None = None, names: list[str] | None = None
) -> dict[str, dict[str, float]]:
    """Run and store the models' evaluation (started from the console; takes ~25 s)."""
    from accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    rows = liquidity_models_evaluate(on=timezone.localdate(), actor=actor, names=names)
    return {
        row.series: {
            "har_mse_ratio": float(row.har_mse_ratio),
            "ml_mse_ratio": float(row.ml_mse_ratio),
        }
        for row in rows
    }
