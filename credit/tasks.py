"""Scheduled credit housekeeping; each task calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from credit.services import credit_applications_expire, credit_lines_expire


@shared_task(name="credit.expire_stale_applications")
def expire_stale_applications_task() -> dict[str, list[int]]:
    return {"expired": credit_applications_expire()}


@shared_task(name="credit.expire_lines")
def expire_lines_task() -> dict[str, list[int]]:
    return {"expired": credit_lines_expire()}
