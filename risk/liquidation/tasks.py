"""Liquidation jobs: each calls one service and is safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from markets.calendar import is_trading_day
from risk.liquidation import services


@shared_task(name="risk.liquidations_close_day")
def liquidations_close_day(day_iso: str | None = None) -> int:
    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    return services.liquidations_close_day(business_date=day) if is_trading_day(day) else 0


@shared_task(name="risk.liquidations_resume")
def liquidations_resume(day_iso: str | None = None) -> int:
    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    return services.liquidations_resume(on=day) if is_trading_day(day) else 0


@shared_task(name="risk.liquidation_start_for_call")
def liquidation_start_for_call(call_id: int, day_iso: str) -> int | None:
    from risk.liquidation.margin_link import liquidation_start

    case = liquidation_start(call_id=call_id, day=date.fromisoformat(day_iso))
    return case.pk if case is not None else None
