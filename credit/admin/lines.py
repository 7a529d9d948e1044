"""Credit lines: status, validity, today's capacity; suspend / resume / renew / close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_tools import FulcrumAdmin, ReadOnlyMixin
from core.exceptions import DomainError
from credit.admin.common import table
from credit.capacity import capacity_for
from credit.models import CreditLine
from credit.services import (
    credit_line_close,
    credit_line_renew,
    credit_line_resume,
    credit_line_suspend,
)


class LineActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


@admin.register(CreditLine)
class CreditLineAdmin(ReadOnlyMixin, FulcrumAdmin):
    list_display = ["id", "client", "limit", "status", "valid_from", "valid_to", "renewals"]
    list_filter = ["status"]
    search_fields = ["client__client_no", "client__display_name"]
    date_hierarchy = "valid_to"
    action_form = LineActionForm
    actions = ["suspend", "resume", "renew", "close"]
    readonly_fields = [
        "client",
        "application",
        "status",
        "limit",
        "currency",
        "package_list",
        "valid_from",
        "valid_to",
        "renewals",
        "approved_at",
        "activated_at",
        "status_note",
        "capacity_today",
    ]
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("client")

    @admin.display(description=_("allowed packages"))
    def package_list(self, obj: CreditLine) -> str:
        return ", ".join(p.name for p in obj.packages.all())

    @admin.display(description=_("capacity today (before collateral)"))
    def capacity_today(self, obj: CreditLine) -> str:
        try:
            cap = capacity_for(client=obj.client, at=timezone.now())
        except DomainError as error:
            return str(error)
        rows: list[tuple[Any, ...]] = [
            (_("usable"), f"{cap.usable} — {cap.reason}"),
            (_("limit"), cap.limit),
            (_("used"), cap.used),
            (_("available"), cap.available),
        ]
        rows += [(p.name, f"max financing ratio {p.max_financing_ratio}") for p in cap.packages]
        return table(rows)

    def _apply(
        self,
        request: HttpRequest,
        queryset: Any,
        service: Callable[..., CreditLine],
        done: str,
    ) -> None:
        reason = request.POST.get("reason", "").strip()
        count = 0
        for line in queryset.order_by("pk"):
            try:
                service(credit_line=line, by=request.user, reason=reason)
                count += 1
            except DomainError as error:
                self.report_refusal(request, error, line)
        if count:
            messages.success(request, f"{done}: {count}")

    @admin.action(description=_("Suspend (reason required)"), permissions=["suspend"])
    def suspend(self, request: HttpRequest, queryset: Any) -> None:
        self._apply(request, queryset, credit_line_suspend, str(_("Suspended")))

    @admin.action(description=_("Resume (reason required)"), permissions=["suspend"])
    def resume(self, request: HttpRequest, queryset: Any) -> None:
        self._apply(request, queryset, credit_line_resume, str(_("Resumed")))

    @admin.action(description=_("Close (reason required)"), permissions=["suspend"])
    def close(self, request: HttpRequest, queryset: Any) -> None:
        self._apply(request, queryset, credit_line_close, str(_("Closed")))

    @admin.action(
        description=_("Renew by one rollover term (reason required)"), permissions=["renew"]
    )
    def renew(self, request: HttpRequest, queryset: Any) -> None:
        self._apply(request, queryset, credit_line_renew, str(_("Renewed")))

    def has_suspend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("credit.suspend_creditline")

    def has_renew_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("credit.renew_creditline")
