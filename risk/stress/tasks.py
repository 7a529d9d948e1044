"""After-close liquidity jobs; each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from markets.calendar import is_trading_day
from risk.stress.liquidity_services import liquidity_forecasts_refresh, market_regime_assess


@shared_task(name="risk.refresh_liquidity_forecasts")
def refresh_liquidity_forecasts_task() -> dict[str, int]:
    today = timezone.localdate()
    if not is_trading_day(today):
        return {"stored": 0}
    return {"stored": liquidity_forecasts_refresh(on=today)}


@shared_task(name="risk.assess_market_regime")
def assess_market_regime_task(maker_id: int) -> dict[str, str]:
    """Assess today's regime; a change is proposed by ``maker_id`` (a risk officer's account
    named in the beat entry) and waits for a second risk officer."""
    from accounts.models import User

    today = timezone.localdate()
    if not is_trading_day(today):
        return {"regime": "", "action": "not a trading day"}
    reading = market_regime_assess(on=today, maker=User.objects.get(pk=maker_id))
    return {"regime": reading.regime, "action": reading.action}
