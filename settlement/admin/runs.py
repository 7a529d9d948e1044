"""Console: clearing runs with step and shard status, resume / rerun, breaks, marks."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_tools import ActionPanelMixin, FulcrumAdmin, ReadOnlyAdmin
from core.exceptions import DomainError
from settlement.enums import ClearingBreakStatus, RunStatus
from settlement.models import ClearingBreak, ClearingRun, ClearingStep, Mark
from settlement.services import clearing_break_resolve, clearing_run_rerun, clearing_run_resume
from settlement.tasks import clearing_advance_task


class StepInline(admin.TabularInline):
    model = ClearingStep
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "position",
        "title",
        "scope",
        "status",
        "shard_progress",
        "entries_posted",
        "rows_written",
        "started_at",
        "finished_at",
        "error",
        "totals",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("shards"))
    def shard_progress(self, obj: ClearingStep) -> str:
        if not obj.shards_total:
            return "—"
        pending = obj.shards.filter(done=False).order_by("shard_no")
        waiting = ", ".join(str(n) for n in pending.values_list("shard_no", flat=True)[:10])
        suffix = f" (open: {waiting})" if waiting else ""
        return f"{obj.shards_done}/{obj.shards_total}{suffix}"

    @admin.display(description=_("totals"))
    def totals(self, obj: ClearingStep) -> str:
        values = obj.details.get("totals", {})
        return ", ".join(f"{k}: {v}" for k, v in values.items()) or "—"


@admin.register(ClearingRun)
class ClearingRunAdmin(ActionPanelMixin, ReadOnlyAdmin):
    list_display = [
        "business_date",
        "status",
        "progress",
        "account_count",
        "open_breaks",
        "started_at",
        "finished_at",
    ]
    list_filter = ["status"]
    date_hierarchy = "business_date"
    inlines = [StepInline]
    fields = [
        "business_date",
        "status",
        "error",
        "account_count",
        "shard_count",
        "started_at",
        "finished_at",
        "report_table",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClearingRun]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                steps_done=Count("steps", filter=Q(steps__status="done"), distinct=True),
                steps_all=Count("steps", distinct=True),
            )
        )

    @admin.display(description=_("steps done"))
    def progress(self, obj: Any) -> str:
        return f"{obj.steps_done}/{obj.steps_all}"

    @admin.display(description=_("open breaks"))
    def open_breaks(self, obj: ClearingRun) -> int:
        return obj.breaks.filter(status=ClearingBreakStatus.OPEN).count()

    @admin.display(description=_("shards"))
    def shard_count(self, obj: ClearingRun) -> int:
        return len(obj.shard_bounds)

    @admin.display(description=_("run report"))
    def report_table(self, obj: ClearingRun) -> str:
        steps = obj.report.get("steps", {})
        if not steps:
            return "—"
        return format_html(
            "<table>{}</table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        s["title"],
                        s["entries_posted"],
                        s["rows_written"],
                        ", ".join(f"{k}: {v}" for k, v in s["totals"].items()),
                    )
                    for s in steps.values()
                ),
            ),
        )

    def panel_actions(self, request: HttpRequest, obj: ClearingRun) -> list[tuple[str, str]]:
        if not request.user.has_perm("settlement.operate_clearingrun"):
            return []
        if obj.status in (RunStatus.PENDING, RunStatus.FAILED, RunStatus.RUNNING):
            return [("resume", str(_("Resume (do what is not done)")))]
        return [("rerun", str(_("Rerun every step (posts nothing twice)")))]

    def run_panel_action(self, request: HttpRequest, obj: ClearingRun, name: str, note: str) -> str:
        if name == "resume":
            run = clearing_run_resume(run=obj, by=request.user, reason=note)
        else:
            run = clearing_run_rerun(run=obj, by=request.user, reason=note)
        try:
            clearing_advance_task.delay(run.pk)
        except DomainError as error:  # eager mode: the failure is already recorded on the run
            messages.error(request, str(error))
        return str(_("Clearing %(date)s started; the page shows its progress.")) % {
            "date": run.business_date
        }


@admin.register(ClearingBreak)
class ClearingBreakAdmin(ActionPanelMixin, FulcrumAdmin):
    list_display = ["id", "run", "kind", "reference", "actual", "expected", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "description"]
    readonly_fields = [
        "run",
        "kind",
        "reference",
        "currency",
        "actual",
        "expected",
        "description",
        "status",
        "resolution_note",
        "resolved_by",
        "resolved_at",
        "created_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def panel_actions(self, request: HttpRequest, obj: ClearingBreak) -> list[tuple[str, str]]:
        if obj.status == ClearingBreakStatus.OPEN and request.user.has_perm(
            "settlement.change_clearingbreak"
        ):
            return [("resolve", str(_("Resolved (say what was done)")))]
        return []

    def run_panel_action(
        self, request: HttpRequest, obj: ClearingBreak, name: str, note: str
    ) -> str:
        clearing_break_resolve(break_=obj, by=request.user, note=note)
        return str(_("Break resolved."))


@admin.register(Mark)
class MarkAdmin(ReadOnlyAdmin):
    list_display = ["business_date", "instrument", "price", "source", "price_date"]
    list_filter = ["source", "business_date"]
    search_fields = ["instrument__code", "instrument__name"]
    list_select_related = ["instrument"]
