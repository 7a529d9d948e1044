"""Scheduled contract work (Celery beat, once a day after midnight, Asia/Shanghai)."""

from __future__ import annotations

from celery import shared_task

from contracts.services import contracts_daily


@shared_task(name="contracts.daily")
def contracts_daily_task() -> dict[str, int]:
    result = contracts_daily()
    return {
        "expired_unsigned": result.expired_unsigned,
        "activated": result.activated,
        "expired_ended": result.expired_ended,
        "withdrawn": result.withdrawn,
    }
