"""Console pages: margin calls (re-check, request an override), overrides (four-eyes
decision), the notification outbox (resend), and the risk monitor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_tools import DecisionAdminMixin, FulcrumAdmin, ReadOnlyMixin
from core.exceptions import DomainError, InvalidInput
from risk.margin.enums import OverrideKind, OverrideStatus
from risk.margin.models import MarginCall, MarginCallOverride, MarginNotification
from risk.margin.monitor import monitor_context
from risk.margin.services.calls import calls_reassess
from risk.margin.services.notifications import notifications_resend
from risk.margin.services.overrides import (
    margin_call_override_approve,
    margin_call_override_reject,
    margin_call_override_request,
)


class CallActionForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("Override"), choices=[("", "—"), *OverrideKind.choices], required=False
    )
    until = forms.DateField(label=_("until (YYYY-MM-DD)"), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


OVERRIDE_COLUMNS = [
    "kind",
    "until",
    "status",
    "reason",
    "requested_by",
    "decided_by",
    "decision_note",
]
NOTIFICATION_COLUMNS = [
    "created_at",
    "event",
    "channel",
    "recipient",
    "status",
    "attempts",
    "last_error",
]


class OverrideInline(admin.TabularInline):
    model = MarginCallOverride
    fields = tuple(OVERRIDE_COLUMNS)
    readonly_fields = OVERRIDE_COLUMNS
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NotificationInline(admin.TabularInline):
    model = MarginNotification
    fields = tuple(NOTIFICATION_COLUMNS)
    readonly_fields = NOTIFICATION_COLUMNS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MarginCall)
class MarginCallAdmin(ReadOnlyMixin, FulcrumAdmin):
    change_list_template = "admin/risk/margincall_change_list.html"
    list_display = [
        "id",
        "margin_account",
        "status",
        "last_ratio",
        "warning_line",
        "liquidation_line",
        "amount_due",
        "due_on",
        "liquidation_held_until",
        "opened_on",
    ]
    list_filter = ["status", "package_code", "opened_on"]
    search_fields = ["margin_account__account_no", "margin_account__client__display_name"]
    ordering = ["due_on", "-opened_at"]
    action_form = CallActionForm
    actions = ["recheck", "request_override"]
    inlines = [OverrideInline, NotificationInline]
    readonly_fields = [
        "margin_account",
        "status",
        "package_code",
        "warning_line",
        "liquidation_line",
        "topup_target",
        "opened_on",
        "opened_at",
        "ratio_at_open",
        "last_ratio",
        "last_checked_at",
        "issued_on",
        "due_on",
        "amount_due",
        "liquidation_held_until",
        "liquidation_reason",
        "ended_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[MarginCall]:
        return super().get_queryset(request).select_related("margin_account__client")

    def get_urls(self) -> list[URLPattern]:
        return [
            path("monitor/", self.admin_site.admin_view(self.monitor_view), name="risk_monitor"),
            *super().get_urls(),
        ]

    def monitor_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("risk.view_margincall"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Risk monitor"),
            "opts": MarginCall._meta,
            **monitor_context(timezone.localdate()),
        }
        return TemplateResponse(request, "admin/risk/monitor.html", context)

    @admin.action(description=_("Re-check the selected accounts now (exact)"))
    def recheck(self, request: HttpRequest, queryset: QuerySet[MarginCall]) -> None:
        ids = list(queryset.values_list("margin_account_id", flat=True))
        calls = calls_reassess(ids, actor=request.user)
        moved = [c for c in calls.values() if c is not None]
        messages.info(request, _("%d account(s) re-checked.") % len(moved))

    @admin.action(
        description=_("Request an override for the selected call"),
        permissions=["request_override"],
    )
    def request_override(self, request: HttpRequest, queryset: QuerySet[MarginCall]) -> None:
        if queryset.count() != 1:
            messages.error(request, _("Select exactly one call."))
            return
        form = CallActionForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        try:
            if not data.get("kind") or not data.get("until"):
                raise InvalidInput("choose the override and its date", field="kind")
            override = margin_call_override_request(
                call=queryset.get(),
                kind=data["kind"],
                until=data["until"],
                reason=data.get("reason", ""),
                actor=request.user,
            )
        except DomainError as error:
            self.report_refusal(request, error)
        else:
            messages.success(
                request, _("Override requested: %s. Another risk officer decides.") % override
            )

    def has_request_override_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("risk.request_override"))


@admin.register(MarginCallOverride)
class MarginCallOverrideAdmin(DecisionAdminMixin, ReadOnlyMixin, FulcrumAdmin):
    decision_permission = "risk.approve_override"
    list_display = ["id", "call", "kind", "until", "status", "requested_by", "decided_by"]
    list_filter = ["status", "kind"]
    readonly_fields = [
        "call",
        "kind",
        "until",
        "reason",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    fields = readonly_fields

    def is_pending(self, obj: MarginCallOverride) -> bool:
        return obj.status == OverrideStatus.PENDING

    def decide(
        self, request: HttpRequest, obj: MarginCallOverride, *, approve: bool, note: str
    ) -> str:
        if approve:
            margin_call_override_approve(override=obj, actor=request.user, note=note)
            return str(_("Override approved and applied to the call."))
        margin_call_override_reject(override=obj, actor=request.user, note=note)
        return str(_("Override rejected."))


@admin.register(MarginNotification)
class MarginNotificationAdmin(ReadOnlyMixin, FulcrumAdmin):
    list_display = ["id", "call", "event", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient", "call__margin_account__account_no"]
    actions = ["resend"]
    readonly_fields = [
        "call",
        "event",
        "channel",
        "recipient",
        "subject",
        "body",
        "payload",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    fields = readonly_fields

    @admin.action(description=_("Resend the selected failed notifications"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[MarginNotification]) -> None:
        count = notifications_resend(ids=list(queryset.values_list("pk", flat=True)))
        messages.info(request, _("%d notification(s) queued again.") % count)

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("risk.resend_marginnotification"))
