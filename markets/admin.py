"""Console pages for market reference data, prices and funding series."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_tools import FulcrumAdmin, ReadOnlyMixin
from core.exceptions import DomainError
from markets import calendar
from markets.codes import classify_code
from markets.models import (
    DailyBar,
    ExchangeHoliday,
    FundingSeries,
    Instrument,
    Quote,
    SeriesPoint,
    Suspension,
)
from markets.rules import MarketDay, market_day_from, market_days
from markets.rules.book import cached_rule_book
from markets.rules.pure import show_price
from markets.services import suspension_problems, suspension_save

LIMITS_SHOWN = 300


class SuspensionInline(admin.TabularInline):
    model = Suspension
    extra = 0
    fields = ["suspended_on", "resumed_on", "reason"]
    readonly_fields = ["suspended_on", "resumed_on", "reason"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _today_rules(obj: Instrument) -> MarketDay:
    cached: MarketDay | None = getattr(obj, "_rules_today", None)
    if cached is None:
        halted = getattr(obj, "_halted_today", False)
        suspension = Suspension(reason=getattr(obj, "_halt_reason", "") or "") if halted else None
        cached = market_day_from(
            obj,
            timezone.localdate(),
            cached_rule_book(),
            getattr(obj, "_prev_close", None),
            suspension,
        )
        obj._rules_today = cached  # type: ignore[attr-defined]
    return cached


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = [
            "code",
            "name",
            "kind",
            "lot_size",
            "is_st",
            "listing_date",
            "delisted_on",
            "index_constituent",
            "delisting_risk",
            "pe_ttm",
            "free_float_shares",
        ]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        try:
            self.instance.exchange, self.instance.board = classify_code(code)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error
        return code


@admin.register(Instrument)
class InstrumentAdmin(FulcrumAdmin):
    form = InstrumentForm
    change_list_template = "admin/markets/instrument_change_list.html"
    list_display = [
        "code",
        "name",
        "board",
        "is_st",
        "band_today",
        "limit_up_today",
        "limit_down_today",
        "suspended_today",
    ]
    list_filter = ["exchange", "board", "kind", "is_st", "index_constituent"]
    search_fields = ["code", "name"]
    readonly_fields = ["exchange", "board"]
    inlines = [SuspensionInline]
    actions = ["show_limit_prices"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Instrument]:
        today = timezone.localdate()
        halts = Suspension.objects.filter(
            instrument=OuterRef("pk"), suspended_on__lte=today
        ).exclude(resumed_on__lte=today)
        last_close = (
            DailyBar.objects.filter(instrument=OuterRef("pk"), date__lt=today)
            .order_by("-date")
            .values("close")[:1]
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                _prev_close=Subquery(last_close),
                _halted_today=Exists(halts),
                _halt_reason=Subquery(halts.order_by("-suspended_on").values("reason")[:1]),
            )
        )

    @admin.display(description=_("band today"))
    def band_today(self, obj: Instrument) -> str:
        return str(_today_rules(obj).band)

    @admin.display(description=_("limit-up today"))
    def limit_up_today(self, obj: Instrument) -> Any:
        return _today_rules(obj).limit_up or "—"

    @admin.display(description=_("limit-down today"))
    def limit_down_today(self, obj: Instrument) -> Any:
        return _today_rules(obj).limit_down or "—"

    @admin.display(description=_("suspended today"), boolean=True)
    def suspended_today(self, obj: Instrument) -> bool:
        return bool(getattr(obj, "_halted_today", False))

    @admin.action(description=_("Show limit prices for a day"))
    def show_limit_prices(self, request: HttpRequest, queryset: QuerySet[Instrument]) -> Any:
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True)[:LIMITS_SHOWN])
        return HttpResponseRedirect(f"{reverse('admin:markets_instrument_limits')}?ids={ids}")

    def get_urls(self) -> list[URLPattern]:
        limits = path(
            "limits/",
            self.admin_site.admin_view(self.limits_view),
            name="markets_instrument_limits",
        )
        return [limits, *super().get_urls()]

    def limits_view(self, request: HttpRequest) -> HttpResponse:
        """Read-only: band, previous close, limit prices and halts of instruments on a day."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = LimitDayForm(request.GET or None)
        day = form.cleaned_data["day"] if form.is_valid() else timezone.localdate()
        instruments = self.get_queryset(request).order_by("code")
        ids = [int(x) for x in request.GET.get("ids", "").split(",") if x.strip().isdigit()]
        if ids:
            instruments = instruments.filter(pk__in=ids)
        if query := request.GET.get("q", "").strip():
            instruments = instruments.filter(code__startswith=query)
        rows = list(instruments[:LIMITS_SHOWN])
        try:
            rules = market_days(rows, day)
            error = ""
        except DomainError as exc:
            rules, error = {}, str(exc)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Limit prices on %(day)s") % {"day": day.isoformat()},
            "form": form,
            "day": day,
            "is_trading_day": calendar.is_trading_day(day),
            "rows": [(i, rules.get(i.pk), _prev_close_text(rules.get(i.pk))) for i in rows],
            "error": error,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/markets/limits.html", context)


def _prev_close_text(rules: MarketDay | None) -> str:
    return show_price(rules.prev_close) if rules and rules.prev_close is not None else "—"


class LimitDayForm(forms.Form):
    day = forms.DateField(
        label=_("day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("code starts with"), required=False, max_length=6)

    def clean_day(self) -> date:
        return self.cleaned_data.get("day") or timezone.localdate()


class SuspensionForm(forms.ModelForm):
    class Meta:
        model = Suspension
        fields = ["instrument", "suspended_on", "resumed_on", "reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("instrument") and data.get("suspended_on"):
            problems = suspension_problems(
                instrument=data["instrument"],
                suspended_on=data["suspended_on"],
                resumed_on=data.get("resumed_on"),
                exclude_pk=self.instance.pk,
            )
            for problem in problems:
                self.add_error(None, problem)
        return data


@admin.register(Suspension)
class SuspensionAdmin(FulcrumAdmin):
    form = SuspensionForm
    list_display = ["instrument", "suspended_on", "resumed_on", "reason"]
    list_filter = ["suspended_on"]
    search_fields = ["instrument__code", "instrument__name", "reason"]
    autocomplete_fields = ["instrument"]
    list_select_related = ["instrument"]
    date_hierarchy = "suspended_on"

    def save_model(self, request: HttpRequest, obj: Suspension, form: Any, change: bool) -> None:
        saved = suspension_save(
            instrument=obj.instrument,
            suspended_on=obj.suspended_on,
            resumed_on=obj.resumed_on,
            reason=obj.reason,
            suspension=obj if obj.pk else None,
        )
        obj.pk = saved.pk


@admin.register(DailyBar)
class DailyBarAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["instrument", "date", "open", "high", "low", "close", "volume", "source"]
    list_filter = ["source", "instrument__board"]
    search_fields = ["instrument__code"]
    date_hierarchy = "date"
    list_select_related = ["instrument"]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["instrument", "ts", "last", "bid", "ask", "volume", "source"]
    list_filter = ["source", "day"]
    search_fields = ["instrument__code"]
    date_hierarchy = "day"
    list_select_related = ["instrument"]
    show_full_result_count = False  # a count over millions of quotes helps nobody


@admin.register(FundingSeries)
class FundingSeriesAdmin(FulcrumAdmin):
    list_display = ["key", "name", "unit", "points", "latest_date", "latest_value"]
    search_fields = ["key", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["key", "unit"] if obj else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[FundingSeries]:
        last = SeriesPoint.objects.filter(series=OuterRef("pk")).order_by("-date")
        return (
            super()
            .get_queryset(request)
            .annotate(
                _points=Count("points"),
                _last_date=Subquery(last.values("date")[:1]),
                _last_value=Subquery(last.values("value")[:1]),
            )
        )

    @admin.display(description=_("points"))
    def points(self, obj: FundingSeries) -> int:
        return int(obj._points)  # type: ignore[attr-defined]

    @admin.display(description=_("latest date"))
    def latest_date(self, obj: FundingSeries) -> Any:
        return obj._last_date or "—"  # type: ignore[attr-defined]

    @admin.display(description=_("latest value"))
    def latest_value(self, obj: FundingSeries) -> Any:
        value = obj._last_value  # type: ignore[attr-defined]
        return "—" if value is None else f"{Decimal(value).normalize():f}"


@admin.register(SeriesPoint)
class SeriesPointAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["series", "date", "value", "source"]
    list_filter = ["series", "source"]
    date_hierarchy = "date"
    list_select_related = ["series"]


@admin.register(ExchangeHoliday)
class ExchangeHolidayAdmin(FulcrumAdmin):
    list_display = ["day", "name", "calendar"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar.refresh()
