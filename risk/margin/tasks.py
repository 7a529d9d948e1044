"""Celery tasks of the margin engine; each takes ids or dates, calls one service, safe to rerun."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import shared_task


@shared_task(name="risk.margin_sweep")
def margin_sweep_task(on: str | None = None, closing: bool = False) -> dict[str, Any]:
    from risk.margin.engine import sweep

    day = date.fromisoformat(on) if on else None
    return sweep(on=day, closing=closing).summary()


@shared_task(name="risk.margin_tick")
def margin_tick_task(instrument_ids: list[int], closing: bool = False) -> dict[str, Any]:
    from risk.margin.engine import tick

    return tick(instrument_ids, closing=closing).summary()


@shared_task(name="risk.send_margin_notifications")
def send_notifications(ids: list[int]) -> dict[str, str]:
    from risk.margin.services.notifications import notification_send

    return {str(pk): notification_send(pk) for pk in ids}


@shared_task(name="risk.margin_sweep_trading_hours")
def margin_sweep_trading_hours_task(closing: bool = False) -> dict[str, Any]:
    """The beat entry: sweeps only on XSHG trading days, in the session (or at the close)."""
    from django.utils import timezone

    from markets.calendar import is_trading_day
    from risk.margin.engine import sweep

    now = timezone.localtime()
    if not is_trading_day(now.date()):
        return {"skipped": f"{now.date()} is not a trading day"}
    in_session = (9, 30) <= (now.hour, now.minute) <= (15, 0)
    if not closing and not in_session:
        return {"skipped": f"{now:%H:%M} is outside the session"}
    return sweep(on=now.date(), closing=closing).summary()
