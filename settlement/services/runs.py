"""Opening, executing, resuming and rerunning clearing runs.

The unit of work is a step for the whole date or a step for one shard of accounts. Each unit
runs in one transaction with its completion record (``ClearingStep`` / ``ClearingShard``), so a
worker killed mid-run leaves every unit either done or untouched; executing the run again does
only what is not done, and the result is exactly that of an uninterrupted run. A failing unit
records where and why (step, shard, account range, error), stops the run and re-raises.

The same functions serve the inline executor (``manage.py clearing_run``) and the Celery tasks
(``settlement.tasks``: shards of a step as a group, chord to the next step).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core import params
from core.exceptions import DomainError, InvalidInput
from core.fsm import apply_transition
from custody.models import MarginAccount
from markets import calendar
from settlement.enums import RunStatus, StepScope, StepStatus
from settlement.keys import FEES_SET
from settlement.models import ClearingRun, ClearingShard, ClearingStep
from settlement.registry import StepContext, StepOutcome, registered_steps, step


class ClearingStepFailed(DomainError):
    """A step (or one shard of it) failed; the run stopped there."""

    code = "clearing_step_failed"


# Fault injection for the crash-resume tests: called as checkpoint(stage, step_key, shard_no)
# with stage "before_commit" (inside the unit's transaction) or "after_commit". None in service.
checkpoint: Callable[[str, str, int | None], None] | None = None


def _checkpoint(stage: str, key: str, shard_no: int | None) -> None:
    if checkpoint is not None:
        checkpoint(stage, key, shard_no)


# --- opening -----------------------------------------------------------------------------------


def shard_bounds(shard_size: int) -> list[list[int]]:
    """Account id ranges of ``shard_size`` accounts each (one query over the ids)."""
    ids = list(MarginAccount.objects.order_by("pk").values_list("pk", flat=True))
    return [
        [ids[i], ids[min(i + shard_size, len(ids)) - 1]] for i in range(0, len(ids), shard_size)
    ]


def _ensure_steps(run: ClearingRun) -> None:
    have = set(run.steps.values_list("key", flat=True))
    ClearingStep.objects.bulk_create(
        [
            ClearingStep(
                run=run, key=s.key, title=str(s.title)[:120], position=s.order, scope=s.scope
            )
            for s in registered_steps()
            if s.key not in have
        ]
    )


@transaction.atomic
def clearing_run_open(*, business_date: date, by: Any = None) -> ClearingRun:
    """The run for ``business_date`` (created once: the database holds one run per date)."""
    if not calendar.is_trading_day(business_date):
        raise InvalidInput(
            f"{business_date} is not an XSHG trading day; clearing runs on trading days only "
            "(the last trading day before a closure accrues interest up to the next one)",
            field="business_date",
        )
    if business_date > timezone.localdate():
        raise InvalidInput(
            f"{business_date} has not happened yet; a date is cleared after its close",
            field="business_date",
        )
    run = ClearingRun.objects.filter(business_date=business_date).first()
    if run is None:
        size = int(params.value(FEES_SET, "shard_size", business_date))
        bounds = shard_bounds(size)
        try:
            with transaction.atomic():
                run = ClearingRun.objects.create(
                    business_date=business_date,
                    shard_bounds=bounds,
                    account_count=MarginAccount.objects.count(),
                    started_by=by if getattr(by, "is_authenticated", False) else None,
                )
        except IntegrityError:  # another worker opened it first
            run = ClearingRun.objects.get(business_date=business_date)
    _ensure_steps(run)
    return run


def _lock_run(run_id: int) -> ClearingRun:
    return ClearingRun.objects.select_for_update().get(pk=run_id)


@transaction.atomic
def clearing_run_resume(*, run: ClearingRun, by: Any = None, reason: str = "") -> ClearingRun:
    """Make a pending or failed run runnable again; done steps and shards stay done."""
    locked = _lock_run(run.pk)
    if locked.status == RunStatus.RUNNING:
        return locked
    if locked.status == RunStatus.COMPLETED:
        return locked
    _ensure_steps(locked)
    locked.steps.exclude(status=StepStatus.DONE).update(status=StepStatus.PENDING, error="")
    ClearingShard.objects.filter(step__run=locked, done=False).update(error="")
    apply_transition(locked, "start", by=by, reason=reason or "resume")
    locked.error = ""
    locked.started_at = locked.started_at or timezone.now()
    locked.finished_at = None
    locked.save()
    return locked


@transaction.atomic
def clearing_run_rerun(*, run: ClearingRun, by: Any = None, reason: str = "") -> ClearingRun:
    """Run every step again for the date; entry keys and upserts make it post nothing twice."""
    locked = _lock_run(run.pk)
    if locked.status == RunStatus.RUNNING:
        raise InvalidInput(
            f"the clearing run for {locked.business_date} is running; wait for it to finish "
            "or fail before rerunning it",
            field="status",
        )
    _ensure_steps(locked)
    locked.steps.update(
        status=StepStatus.PENDING,
        shards_done=0,
        entries_posted=0,
        rows_written=0,
        error="",
        started_at=None,
        finished_at=None,
    )
    # Shards are drawn again: accounts opened since the first run are cleared too.
    ClearingShard.objects.filter(step__run=locked).delete()
    locked.shard_bounds = shard_bounds(
        int(params.value(FEES_SET, "shard_size", locked.business_date))
    )
    locked.account_count = MarginAccount.objects.count()
    apply_transition(locked, "start", by=by, reason=reason or "rerun")
    locked.error = ""
    locked.started_at = timezone.now()
    locked.finished_at = None
    locked.save()
    return locked


# --- executing ---------------------------------------------------------------------------------


def next_step(run_id: int) -> ClearingStep | None:
    return (
        ClearingStep.objects.filter(run_id=run_id)
        .exclude(status=StepStatus.DONE)
        .order_by("position", "key")
        .first()
    )


def _context(run: ClearingRun, shard: ClearingShard | None = None) -> StepContext:
    if shard is None:
        return StepContext(run_id=run.pk, business_date=run.business_date)
    return StepContext(
        run_id=run.pk,
        business_date=run.business_date,
        shard_no=shard.shard_no,
        first_account_id=shard.first_account_id,
        last_account_id=shard.last_account_id,
    )


@transaction.atomic
def step_prepare(*, run_id: int, key: str) -> list[int]:
    """Mark the step running and make its shard records; returns the shards not yet done."""
    run = ClearingRun.objects.get(pk=run_id)
    record = ClearingStep.objects.select_for_update().get(run_id=run_id, key=key)
    if record.status != StepStatus.DONE:
        record.status = StepStatus.RUNNING
        record.started_at = record.started_at or timezone.now()
    if record.scope == StepScope.SHARD and not record.shards.exists():
        ClearingShard.objects.bulk_create(
            [
                ClearingShard(step=record, shard_no=n, first_account_id=lo, last_account_id=hi)
                for n, (lo, hi) in enumerate(run.shard_bounds)
            ]
        )
    record.shards_total = len(run.shard_bounds) if record.scope == StepScope.SHARD else 0
    record.save()
    return list(record.shards.filter(done=False).values_list("shard_no", flat=True))


def _fail(run_id: int, key: str, where: str, error: Exception) -> ClearingStepFailed:
    message = f"step {key!r} failed{where}: {error}"
    with transaction.atomic():
        run = _lock_run(run_id)
        ClearingStep.objects.filter(run_id=run_id, key=key).update(
            status=StepStatus.FAILED, error=message
        )
        if run.status == RunStatus.RUNNING:
            apply_transition(run, "fail", by=None, reason=message[:500])
        run.error = message
        run.save()
    return ClearingStepFailed(message, field="step", step=key)


def execute_shard(*, run_id: int, key: str, shard_no: int) -> bool:
    """Do one shard of a step; False when it was already done (safe to call twice)."""
    fn = step(key).fn
    try:
        with transaction.atomic():
            shard = (
                ClearingShard.objects.select_for_update()
                .select_related("step__run")
                .get(step__run_id=run_id, step__key=key, shard_no=shard_no)
            )
            if shard.done:
                return False
            outcome = fn(_context(shard.step.run, shard))
            _checkpoint("before_commit", key, shard_no)
            _mark_shard_done(shard, outcome)
    except Exception as error:
        where = f" in shard {shard_no} (accounts {_shard_range(run_id, shard_no)})"
        raise _fail(run_id, key, where, error) from error
    _checkpoint("after_commit", key, shard_no)
    return True


def _shard_range(run_id: int, shard_no: int) -> str:
    bounds = ClearingRun.objects.values_list("shard_bounds", flat=True).get(pk=run_id)
    lo, hi = bounds[shard_no]
    return f"#{lo}–#{hi}"


def _mark_shard_done(shard: ClearingShard, outcome: StepOutcome) -> None:
    shard.done = True
    shard.finished_at = timezone.now()
    shard.entries_posted = outcome.entries_posted
    shard.rows_written = outcome.rows_written
    shard.totals = outcome.totals
    shard.error = ""
    shard.save()
    ClearingStep.objects.filter(pk=shard.step_id).update(
        shards_done=F("shards_done") + 1,
        entries_posted=F("entries_posted") + outcome.entries_posted,
        rows_written=F("rows_written") + outcome.rows_written,
    )


def execute_date_step(*, run_id: int, key: str) -> bool:
    """Do a whole-date step; False when it was already done."""
    fn = step(key).fn
    try:
        with transaction.atomic():
            record = (
                ClearingStep.objects.select_for_update()
                .select_related("run")
                .get(run_id=run_id, key=key)
            )
            if record.status == StepStatus.DONE:
                return False
            record.started_at = record.started_at or timezone.now()
            outcome = fn(_context(record.run))
            _checkpoint("before_commit", key, None)
            record.status = StepStatus.DONE
            record.finished_at = timezone.now()
            record.entries_posted = outcome.entries_posted
            record.rows_written = outcome.rows_written
            record.details = {"totals": outcome.totals}
            record.error = ""
            record.save()
    except Exception as error:
        raise _fail(run_id, key, "", error) from error
    _checkpoint("after_commit", key, None)
    return True


def _sum_totals(rows: list[dict[str, str]]) -> dict[str, str]:
    sums: dict[str, Decimal] = {}
    for totals in rows:
        for name, amount in totals.items():
            sums[name] = sums.get(name, Decimal(0)) + Decimal(amount)
    return {name: str(amount) for name, amount in sorted(sums.items())}


@transaction.atomic
def step_finish(*, run_id: int, key: str) -> bool:
    """Close a shard step once every shard is done; False while some are not."""
    record = ClearingStep.objects.select_for_update().get(run_id=run_id, key=key)
    if record.status == StepStatus.DONE:
        return True
    if record.shards.filter(done=False).exists():
        return False
    record.status = StepStatus.DONE
    record.finished_at = timezone.now()
    record.details = {"totals": _sum_totals(list(record.shards.values_list("totals", flat=True)))}
    record.save()
    return True


@transaction.atomic
def run_finish(*, run_id: int) -> ClearingRun:
    run = _lock_run(run_id)
    if run.status == RunStatus.RUNNING and next_step(run_id) is None:
        apply_transition(run, "complete", by=None, reason="every step done")
        run.finished_at = timezone.now()
        run.save()
    return run


def execute_run_inline(*, run_id: int) -> ClearingRun:
    """Execute every step not done, in order, in this process (command, demo, tests)."""
    while (record := next_step(run_id)) is not None:
        if record.scope == StepScope.DATE:
            step_prepare(run_id=run_id, key=record.key)
            execute_date_step(run_id=run_id, key=record.key)
            continue
        for shard_no in step_prepare(run_id=run_id, key=record.key):
            execute_shard(run_id=run_id, key=record.key, shard_no=shard_no)
        step_finish(run_id=run_id, key=record.key)
    return run_finish(run_id=run_id)


def clearing_run(*, business_date: date, by: Any = None, rerun: bool = False) -> ClearingRun:
    """Open (or find) the run for the date and take it to the end in this process.

    A completed run is left alone unless ``rerun``; a failed one is resumed.
    """
    run = clearing_run_open(business_date=business_date, by=by)
    if rerun and run.status != RunStatus.PENDING:
        run = clearing_run_rerun(run=run, by=by)
    elif run.status == RunStatus.COMPLETED:
        return run
    else:
        run = clearing_run_resume(run=run, by=by)
    return execute_run_inline(run_id=run.pk)
