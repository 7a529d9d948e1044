"""After-commit work: each task takes ids, calls one service and is safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from custody.services import aml


@shared_task
def aml_screen_movement(movement_id: int) -> int:
    return len(aml.aml_screen_movement(movement_id=movement_id))


@shared_task
def aml_daily_scan(day_iso: str) -> int:
    return len(aml.aml_daily_scan(day=date.fromisoformat(day_iso)))
