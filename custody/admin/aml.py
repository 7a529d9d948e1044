"""Console: AML cases (investigate, report, dismiss) and the daily large-value report."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_tools import ActionPanelMixin, FulcrumAdmin
from custody.enums import AmlCaseStatus
from custody.models import AmlCase
from custody.services.aml import (
    aml_case_dismiss,
    aml_case_investigate,
    aml_case_report,
    large_value_report,
)

A = AmlCaseStatus


@admin.register(AmlCase)
class AmlCaseAdmin(ActionPanelMixin, FulcrumAdmin):
    list_display = [
        "id",
        "margin_account",
        "rule",
        "status",
        "amount",
        "opened_on",
        "due_on",
        "overdue",
    ]
    list_filter = ["status", "rule"]
    date_hierarchy = "opened_on"
    search_fields = ["margin_account__account_no", "summary"]
    list_select_related = ["margin_account__client"]
    readonly_fields = [
        "margin_account",
        "rule",
        "window_key",
        "status",
        "opened_on",
        "due_on",
        "amount",
        "currency",
        "summary",
        "movement_ids",
        "parameter_version",
        "decided_by",
        "decision_reason",
        "decided_at",
    ]
    change_list_template = "admin/custody/amlcase_change_list.html"

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, obj: AmlCase) -> bool:
        return obj.status in (A.OPEN, A.INVESTIGATING) and obj.due_on < timezone.localdate()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def panel_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str]]:
        if not request.user.has_perm("custody.change_amlcase"):
            return []
        steps = []
        if obj.status == A.OPEN:
            steps.append(("investigate", str(_("Take and investigate"))))
        if obj.status == A.INVESTIGATING:
            steps.append(("report", str(_("Reported to the authority"))))
        if obj.status in (A.OPEN, A.INVESTIGATING):
            steps.append(("dismiss", str(_("Dismiss (say why)"))))
        return steps

    def run_panel_action(self, request: HttpRequest, obj: Any, name: str, note: str) -> str:
        if name == "investigate":
            aml_case_investigate(case=obj, by=request.user, note=note)
            return str(_("You are investigating this case."))
        if name == "report":
            aml_case_report(case=obj, by=request.user, reason=note)
            return str(_("Recorded as reported."))
        aml_case_dismiss(case=obj, by=request.user, reason=note)
        return str(_("Dismissed."))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "large-value-report/",
                self.admin_site.admin_view(self.report_view),
                name="custody_amlcase_large_value_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("custody.export_large_value_report"):
            raise PermissionDenied
        try:
            day = date.fromisoformat(request.GET.get("day", ""))
        except ValueError:
            day = timezone.localdate()
        name, text = large_value_report(day=day, by=request.user)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
