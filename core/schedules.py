"""Periodic jobs as declarations, synced into django-celery-beat.

Each app lists its jobs in ``<app>/schedules.py`` as ``SCHEDULES = [Schedule(...)]``;
``manage.py sync_schedules`` creates or updates the beat rows (disabled rows stay disabled, so
operations can pause a job in the console without a deploy undoing it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core.registry import app_modules


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    description: str
    # Cron fields in the firm's time zone (Asia/Shanghai), or an interval in seconds.
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    every_seconds: int | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


def declared_schedules() -> list[Schedule]:
    found: list[Schedule] = []
    for _label, module in app_modules("schedules"):
        found.extend(getattr(module, "SCHEDULES", []))
    return found


def _schedule_for(spec: Schedule) -> dict[str, Any]:
    if spec.every_seconds:
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=spec.every_seconds, period=IntervalSchedule.SECONDS
        )
        return {"interval": interval, "crontab": None}
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=spec.minute,
        hour=spec.hour,
        day_of_week=spec.day_of_week,
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    return {"crontab": crontab, "interval": None}


@transaction.atomic
def sync_schedules() -> list[str]:
    names = []
    for spec in declared_schedules():
        defaults = {
            "task": spec.task,
            "description": spec.description,
            "kwargs": json.dumps(spec.kwargs),
            **_schedule_for(spec),
        }
        task, created = PeriodicTask.objects.get_or_create(name=spec.name, defaults=defaults)
        if not created:
            for key, value in defaults.items():
                setattr(task, key, value)
            task.save()
        names.append(spec.name)
    return names


SCHEDULES = [
    Schedule(
        name="Verify the audit chain",
        task="core.verify_audit_chain",
        description="Recompute the security audit log's hash chain; a break is reported.",
        minute="30",
        hour="2",
    ),
]
