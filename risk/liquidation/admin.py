"""Console: liquidation cases (current plan, simulate, execute, hold), the liquidate-last list and
shortfall cases. Imported from ``RiskConfig.ready``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from core.admin_tools import ActionPanelMixin, FulcrumAdmin, ReadOnlyAdmin
from core.exceptions import DomainError
from custody.models import MarginAccount
from risk.liquidation.enums import LiquidationStatus, ShortfallStatus
from risk.liquidation.models import (
    LiquidateLast,
    Liquidation,
    LiquidationDay,
    LiquidationPlan,
    LiquidationPlanLine,
    ShortfallCase,
)
from risk.liquidation.planner import UNSOLD_REASONS
from risk.liquidation.services import (
    EXECUTE_PERMISSION,
    HOLD_PERMISSION,
    liquidation_cancel,
    liquidation_execute,
    liquidation_hold,
    liquidation_release,
    liquidation_simulate,
)
from risk.liquidation.shortfall import shortfall_close, shortfall_take

L = LiquidationStatus


class SimulateForm(forms.Form):
    margin_account = forms.ModelChoiceField(
        queryset=MarginAccount.objects.select_related("client"), label=_("margin account")
    )
    on = forms.DateField(required=False, label=_("trading day"), help_text=_("Empty: today."))


@admin.register(Liquidation)
class LiquidationAdmin(ActionPanelMixin, FulcrumAdmin):
    list_display = [
        "id",
        "margin_account",
        "status",
        "held",
        "trigger_ref",
        "opened_on",
        "target",
        "order_policy",
    ]
    list_filter = ["status", "held", "order_policy"]
    search_fields = ["margin_account__account_no", "trigger_ref"]
    list_select_related = ["margin_account__client"]
    readonly_fields = [
        "margin_account",
        "status",
        "trigger_ref",
        "opened_on",
        "opened_by",
        "opened_at",
        "target",
        "buffer",
        "order_policy",
        "terms_source",
        "held",
        "held_reason",
        "closed_at",
        "closed_note",
    ]
    change_form_template = "admin/risk/liquidation_change_form.html"
    change_list_template = "admin/risk/liquidation_change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def panel_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str]]:
        if not obj.is_open:
            return []
        steps = []
        if request.user.has_perm(EXECUTE_PERMISSION) and not obj.held:
            steps.append(("execute", str(_("Execute the current plan (send the orders)"))))
        if request.user.has_perm(HOLD_PERMISSION):
            steps.append(
                ("release", str(_("Release (say why)")))
                if obj.held
                else ("hold", str(_("Hold (say why)")))
            )
            steps.append(("cancel", str(_("Cancel the liquidation (say why)"))))
        return steps

    def run_panel_action(self, request: HttpRequest, obj: Any, name: str, note: str) -> str:
        if name == "execute":
            plan = obj.current_plan()
            # One key per plan version: pressing twice on the same plan sends nothing new.
            key = f"console-{obj.pk}-v{plan.version if plan else 0}"
            result = liquidation_execute(liquidation=obj, actor=request.user, idempotency_key=key)
            if result.replayed:
                return str(_("This plan was already executed; nothing new was sent."))
            return str(_("%d order(s) sent.") % len(result.order_ids))
        if name == "hold":
            liquidation_hold(liquidation=obj, actor=request.user, reason=note)
            return str(_("Held: no orders will be sent until it is released."))
        if name == "release":
            liquidation_release(liquidation=obj, actor=request.user, reason=note)
            return str(_("Released."))
        liquidation_cancel(liquidation=obj, actor=request.user, reason=note)
        return str(_("Cancelled."))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None:
            plan = obj.current_plan()
            context["plan"] = plan
            context["plan_lines"] = (
                list(plan.lines.select_related("instrument", "order")) if plan else []
            )
            context["unsold"] = [
                {**u, "why": UNSOLD_REASONS.get(u["reason"], u["reason"])}
                for u in (plan.unsold if plan else [])
            ]
            context["plans"] = list(obj.plans.order_by("-version")[:20])
            context["days"] = list(obj.days.order_by("-day")[:20])
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "simulate/",
                self.admin_site.admin_view(self.simulate_view),
                name="risk_liquidation_simulate",
            ),
            *super().get_urls(),
        ]

    def simulate_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("risk.view_liquidation"):
            raise PermissionDenied
        form = SimulateForm(request.GET or None)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Simulate a liquidation"),
            "opts": Liquidation._meta,
        }
        if request.GET and form.is_valid():
            try:
                plan = liquidation_simulate(
                    margin_account=form.cleaned_data["margin_account"], on=form.cleaned_data["on"]
                )
            except DomainError as error:
                context["error"] = str(error)
            else:
                context["simulated"] = plan
        return TemplateResponse(request, "admin/risk/liquidation_simulate.html", context)


class PlanLineInline(admin.TabularInline):
    model = LiquidationPlanLine
    extra = 0
    can_delete = False
    fields = (
        "seq",
        "instrument",
        "quantity",
        "price",
        "limit_price",
        "value",
        "costs",
        "proceeds",
        "liquidate_last",
        "committed",
        "order",
        "refusal",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LiquidationPlan)
class LiquidationPlanAdmin(ReadOnlyAdmin):
    list_display = [
        "liquidation",
        "version",
        "on",
        "reason",
        "ratio_before",
        "ratio_after",
        "restores",
        "uncovered",
    ]
    list_filter = ["restores"]
    inlines = [PlanLineInline]


@admin.register(LiquidationDay)
class LiquidationDayAdmin(ReadOnlyAdmin):
    list_display = ["liquidation", "day", "unsold_value", "uncovered"]
    date_hierarchy = "day"


@admin.register(LiquidateLast)
class LiquidateLastAdmin(FulcrumAdmin):
    list_display = ["margin_account", "instrument", "note"]
    search_fields = ["margin_account__account_no", "instrument__code"]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["margin_account", "instrument"]


@admin.register(ShortfallCase)
class ShortfallCaseAdmin(ActionPanelMixin, FulcrumAdmin):
    list_display = ["id", "margin_account", "status", "amount", "opened_on", "assigned_to"]
    list_filter = ["status"]
    search_fields = ["margin_account__account_no", "summary"]
    list_select_related = ["margin_account__client", "assigned_to"]
    readonly_fields = [
        "margin_account",
        "liquidation",
        "status",
        "opened_on",
        "amount",
        "currency",
        "entry",
        "summary",
        "assigned_to",
        "note",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def panel_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str]]:
        if not request.user.has_perm("risk.change_shortfallcase"):
            return []
        steps = []
        if obj.status == ShortfallStatus.OPEN:
            steps.append(("take", str(_("Take for recovery"))))
        if obj.status in (ShortfallStatus.OPEN, ShortfallStatus.IN_RECOVERY):
            steps.append(("close", str(_("Close (say how: recovered, settled, written off)"))))
        return steps

    def run_panel_action(self, request: HttpRequest, obj: Any, name: str, note: str) -> str:
        if name == "take":
            shortfall_take(case=obj, actor=request.user, note=note)
            return str(_("You are recovering this shortfall."))
        shortfall_close(case=obj, actor=request.user, note=note)
        return str(_("Closed."))
