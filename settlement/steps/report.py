"""The run report: what each step did, the day's charges and the open breaks."""

from __future__ import annotations

from django.utils import timezone

from settlement.enums import ClearingBreakStatus
from settlement.models import ClearingBreak, ClearingRun, ClearingStep
from settlement.registry import StepContext, StepOutcome


def run_report(ctx: StepContext) -> StepOutcome:
    run = ClearingRun.objects.get(pk=ctx.run_id)
    steps = {}
    for record in ClearingStep.objects.filter(run_id=ctx.run_id).order_by("position"):
        steps[record.key] = {
            "title": record.title,
            "entries_posted": record.entries_posted,
            "rows_written": record.rows_written,
            "totals": record.details.get("totals", {}),
        }
    report = {
        "business_date": ctx.business_date.isoformat(),
        "accounts": run.account_count,
        "shards": len(run.shard_bounds),
        "steps": steps,
        "open_breaks": ClearingBreak.objects.filter(
            run_id=ctx.run_id, status=ClearingBreakStatus.OPEN
        ).count(),
        "reported_at": timezone.now().isoformat(),
    }
    ClearingRun.objects.filter(pk=ctx.run_id).update(report=report)
    return StepOutcome(totals={"open_breaks": str(report["open_breaks"])})
