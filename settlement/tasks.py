"""Celery: the nightly run as a chain of steps, each shard step a group with a chord onward.

Every task takes ids, calls services and is safe to run twice (a shard already done is
skipped; a step already finished is not finished again).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import chord, group, shared_task
from django.utils import timezone

from markets import calendar
from settlement.enums import RunStatus, StepScope
from settlement.services.runs import (
    clearing_run_open,
    clearing_run_resume,
    execute_date_step,
    execute_shard,
    next_step,
    run_finish,
    step_finish,
    step_prepare,
)


@shared_task(name="settlement.clearing_start")
def clearing_start_task(business_date: str | None = None) -> dict[str, Any]:
    """Beat: after the close of every trading day. A completed run is left alone."""
    day = date.fromisoformat(business_date) if business_date else timezone.localdate()
    if not calendar.is_trading_day(day):
        return {"business_date": day.isoformat(), "skipped": "not a trading day"}
    run = clearing_run_open(business_date=day)
    if run.status == RunStatus.COMPLETED:
        return {"business_date": day.isoformat(), "status": run.status}
    run = clearing_run_resume(run=run, reason="scheduled")
    clearing_advance_task.delay(run.pk)
    return {"business_date": day.isoformat(), "run": run.pk}


@shared_task(name="settlement.clearing_advance")
def clearing_advance_task(run_id: int) -> str:
    """Do whole-date steps here; hand a shard step to a group of workers and stop."""
    while (record := next_step(run_id)) is not None:
        pending = step_prepare(run_id=run_id, key=record.key)
        if record.scope == StepScope.DATE:
            execute_date_step(run_id=run_id, key=record.key)
            continue
        if not pending:
            step_finish(run_id=run_id, key=record.key)
            continue
        header = group(clearing_shard_task.si(run_id, record.key, n) for n in pending)
        chord(header)(clearing_step_done_task.si(run_id, record.key))
        return f"waiting for {len(pending)} shard(s) of {record.key}"
    return str(run_finish(run_id=run_id).status)


@shared_task(name="settlement.clearing_shard", acks_late=True)
def clearing_shard_task(run_id: int, key: str, shard_no: int) -> bool:
    return execute_shard(run_id=run_id, key=key, shard_no=shard_no)


@shared_task(name="settlement.clearing_step_done")
def clearing_step_done_task(run_id: int, key: str) -> str:
    if step_finish(run_id=run_id, key=key):
        clearing_advance_task.delay(run_id)
        return "advanced"
    return "shards still open"
