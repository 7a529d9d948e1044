"""Console: scenario editor (parameters validated per kind), runs with charts, forecasts, regime,
and the liquidity models' evaluation table.

Registered from ``risk/admin.py`` with ``import risk.stress.admin  # noqa: F401``.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.admin_tools import FulcrumAdmin, ReadOnlyAdmin
from core.exceptions import DomainError
from core.transactions import enqueue_on_commit
from risk.liquidity.evaluation import HAR_TARGET
from risk.stress.models import (
    LeverageBacktest,
    LiquidityForecast,
    LiquidityModelEvaluation,
    RegimeReading,
    StressRun,
    StressRunAccount,
    StressRunDay,
    StressScenario,
)
from risk.stress.scenarios import validate_params
from risk.stress.services import stress_test_run
from risk.stress.tasks import evaluate_liquidity_models_task


class StressScenarioForm(forms.ModelForm):
    class Meta:
        model = StressScenario
        fields = ["code", "name", "kind", "description", "params", "active"]
        help_texts = {
            "params": _(
                'Historical: {"start": "2016-07-04", "end": "2016-07-08", "proxy_code": '
                '"000333", "volume_factor": 1}. Hypothetical: {"horizon_days": 5, "gap": -0.1, '
                '"gap_days": 3, "one_price": true, "board": "main", "codes": ["000002"], '
                '"volume_factor": 0.3, "after_return": 0}.'
            )
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kind" in data and "params" in data:
            try:
                validate_params(data["kind"], data["params"])
            except DomainError as error:
                self.add_error("params", str(error))
        return data


@admin.register(StressScenario)
class StressScenarioAdmin(FulcrumAdmin):
    form = StressScenarioForm
    list_display = ["code", "name", "kind", "active", "last_run"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    actions = ["run_on_today"]

    @admin.display(description=_("last run"))
    def last_run(self, obj: StressScenario) -> str:
        run = obj.runs.order_by("-created_at").first()
        return f"{run.book_date}: shortfall {run.total_shortfall:,.2f}" if run else "—"

    def save_model(
        self, request: HttpRequest, obj: StressScenario, form: Any, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Run over today's book"), permissions=["run"])
    def run_on_today(self, request: HttpRequest, queryset: QuerySet[StressScenario]) -> None:
        for scenario in queryset:
            try:
                run = stress_test_run(
                    scenario=scenario, on=timezone.localdate(), actor=request.user
                )
            except DomainError as error:
                self.report_refusal(request, error, scenario)
                continue
            self.message_user(
                request,
                f"{scenario.code}: run #{run.pk}, {run.liquidation_accounts} accounts liquidated, "
                f"shortfall {run.total_shortfall:,.2f}",
                messages.SUCCESS,
            )

    def has_run_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("risk.run_stressscenario")


class DayInline(admin.TabularInline):
    model = StressRunDay
    fields = [
        "index",
        "date",
        "warning_accounts",
        "liquidation_accounts",
        "sold_value",
        "unsold_value",
        "shortfall",
        "blocked",
    ]
    readonly_fields = tuple(str(f) for f in fields)
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AccountInline(DayInline):
    model = StressRunAccount  # type: ignore[assignment]
    fields = [
        "rank",
        "margin_account",
        "start_ratio",
        "worst_ratio",
        "first_liquidation_day",
        "debt_end",
        "collateral_end",
        "unsold_value",
        "shortfall",
    ]
    readonly_fields = tuple(str(f) for f in fields)


def bars_svg(values: list[float], labels: list[str], title: str) -> SafeString:
    """A small server-rendered bar chart (inline SVG, no JavaScript)."""
    width, height, pad = 480, 140, 24
    top = max(values) if values and max(values) > 0 else 1.0
    step = (width - 2 * pad) / max(len(values), 1)
    bars = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = (height - 2 * pad) * value / top
        x = pad + i * step
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#8b1a1a"><title>{}: {}</title>'
                '</rect><text x="{}" y="{}" font-size="9">{}</text>',
                f"{x + 2:.1f}",
                f"{height - pad - h:.1f}",
                f"{max(step - 4, 1):.1f}",
                f"{h:.1f}",
                label,
                f"{value:,.2f}",
                f"{x + 2:.1f}",
                height - 8,
                label,
            )
        )
    return format_html(
        '<svg width="{}" height="{}" role="img" aria-label="{}"><text x="{}" y="14" '
        'font-size="11">{} (max {})</text>{}</svg>',
        width,
        height,
        title,
        pad,
        title,
        f"{top:,.0f}",
        mark_safe("".join(bars)),  # noqa: S308  (each bar escaped by format_html)
    )


@admin.register(StressRun)
class StressRunAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "scenario",
        "book_date",
        "accounts",
        "liquidation_accounts",
        "shortfall_accounts",
        "total_shortfall",
        "duration_ms",
        "created_at",
    ]
    list_filter = ["scenario"]
    readonly_fields = [
        "scenario",
        "book_date",
        "status",
        "accounts",
        "positions",
        "days",
        "warning_accounts",
        "liquidation_accounts",
        "shortfall_accounts",
        "total_debt",
        "sold_value",
        "unsold_value",
        "total_shortfall",
        "charts",
        "inputs",
        "duration_ms",
        "run_by",
    ]
    fields = readonly_fields
    inlines = [DayInline, AccountInline]

    @admin.display(description=_("by day"))
    def charts(self, obj: StressRun) -> SafeString:
        days = list(obj.day_rows.order_by("index"))
        labels = [str(d.date or f"D{d.index + 1}") for d in days]
        return format_html(
            "{}<br>{}<br>{}",
            bars_svg([float(d.sold_value) for d in days], labels, "sold"),
            bars_svg([float(d.unsold_value) for d in days], labels, "wanted, unsold"),
            bars_svg([float(d.shortfall) for d in days], labels, "shortfall"),
        )

    @admin.display(description=_("inputs as used"))
    def inputs(self, obj: StressRun) -> SafeString:
        return format_html("<pre>{}</pre>", json.dumps(obj.params_used, indent=1))


@admin.register(LiquidityForecast)
class LiquidityForecastAdmin(ReadOnlyAdmin):
    list_display = [
        "instrument",
        "as_of",
        "horizon_days",
        "model",
        "adv",
        "lower",
        "upper",
        "annual_volatility",
    ]
    list_filter = ["model", "as_of"]
    search_fields = ["instrument__code"]


@admin.register(RegimeReading)
class RegimeReadingAdmin(ReadOnlyAdmin):
    list_display = ["as_of", "reference", "regime", "in_force", "action", "drivers_list"]
    list_filter = ["regime", "action"]

    @admin.display(description=_("drivers"))
    def drivers_list(self, obj: RegimeReading) -> SafeString:
        return format_html_join(", ", "{}", ((d,) for d in obj.drivers))


@admin.register(LeverageBacktest)
class LeverageBacktestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "package", "start", "end", "calls", "liquidations", "loss", "created_at"]
    readonly_fields = [
        "package",
        "codes",
        "start",
        "end",
        "equity",
        "financing_ratio",
        "terms",
        "calls",
        "liquidations",
        "loss",
        "events",
    ]
    fields = readonly_fields


@admin.register(LiquidityModelEvaluation)
class LiquidityModelEvaluationAdmin(ReadOnlyAdmin):
    """The models' evaluation table; staff with the permission start a new run from it."""

    change_list_template = "admin/risk/liquiditymodelevaluation_change_list.html"
    list_display = [
        "series",
        "evaluated_on",
        "har_mse_ratio",
        "ml_mse_ratio",
        "har_meets_target",
        "ml_beats_har",
        "forecasts",
        "window",
        "har_plain_mse_ratio",
        "har_model",
        "run_by",
    ]
    list_filter = ["evaluated_on", "series", "har_meets_target", "ml_beats_har"]
    readonly_fields = [
        "series",
        "evaluated_on",
        "har_model",
        "rows",
        "forecasts",
        "first_day",
        "last_day",
        "baseline_mse",
        "har_plain_mse_ratio",
        "har_mse_ratio",
        "ml_mse_ratio",
        "har_target",
        "har_meets_target",
        "ml_beats_har",
        "holdout",
        "har_coverage",
        "ml_coverage",
        "duration_ms",
        "run_by",
        "updated_at",
    ]
    fields = readonly_fields

    @admin.display(description=_("forecast window"))
    def window(self, obj: LiquidityModelEvaluation) -> str:
        return f"{obj.first_day} – {obj.last_day}"

    def has_run_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("risk.run_liquiditymodelevaluation")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {
            **(extra_context or {}),
            "can_run_evaluation": self.has_run_permission(request),
            "har_target": HAR_TARGET,
        }
        return super().changelist_view(request, context)

    def get_urls(self) -> list[URLPattern]:
        run = path(
            "run/",
            self.admin_site.admin_view(self.run_view),
            name="risk_liquiditymodelevaluation_run",
        )
        return [run, *super().get_urls()]

    def run_view(self, request: HttpRequest) -> HttpResponse:
        """POST: queue the evaluation (about half a minute); the table shows it when done."""
        if not self.has_run_permission(request):
            raise PermissionDenied
        back = reverse("admin:risk_liquiditymodelevaluation_changelist")
        if request.method != "POST":
            return HttpResponseRedirect(back)
        enqueue_on_commit(evaluate_liquidity_models_task, actor_id=request.user.pk)
        self.message_user(
            request,
            _(
                "The evaluation is running (about half a minute); reload this page to see "
                "today's rows."
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(back)
