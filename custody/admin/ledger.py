"""Console: margin accounts, the chart of accounts, ledger accounts, entries and balances."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import Client
from core.admin_tools import FulcrumAdmin, ReadOnlyAdmin
from custody.enums import ChartCode
from custody.models import (
    FundMovement,
    JournalEntry,
    LedgerAccount,
    LedgerAccountType,
    LedgerBalance,
    MarginAccount,
    Position,
    Posting,
)
from custody.selectors import balances_as_of, natural_balances
from custody.services.accounts import margin_account_open
from custody.valuation import account_valuation

POSITION_FIELDS: list[Any] = [
    "instrument",
    "quantity",
    "sellable_quantity",
    "pending_quantity",
    "average_cost",
    "total_cost",
    "realised_pnl",
]


class PositionInline(admin.TabularInline):
    model = Position
    fields = POSITION_FIELDS
    readonly_fields = POSITION_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OpenAccountForm(forms.ModelForm):
    bank_account_no = forms.CharField(label=_("registered bank account number"), max_length=40)

    class Meta:
        model = MarginAccount
        fields = ["client", "bank_name", "bank_account_holder"]


@admin.register(MarginAccount)
class MarginAccountAdmin(FulcrumAdmin):
    list_display = ["account_no", "client", "status", "cash", "bank_account_masked", "opened_at"]
    list_filter = ["status"]
    search_fields = ["account_no", "client__client_no", "client__display_name"]
    list_select_related = ["client"]
    inlines = [PositionInline]
    readonly_fields = [
        "account_no",
        "client",
        "status",
        "currency",
        "opened_at",
        "bank_name",
        "bank_account_holder",
        "bank_account_masked",
        "balances",
        "valuation",
        "trading",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MarginAccount]:
        cash = LedgerBalance.objects.filter(
            ledger_account__margin_account=OuterRef("pk"),
            ledger_account__account_type_id=ChartCode.CLIENT_CASH,
        ).values("balance")[:1]
        return super().get_queryset(request).annotate(cash_raw=Subquery(cash))

    @admin.display(description=_("cash"))
    def cash(self, obj: Any) -> Any:
        return -obj.cash_raw if obj.cash_raw is not None else "—"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any):
        if obj is None:
            kw["form"] = OpenAccountForm
        return super().get_form(request, obj, change=change, **kw)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["client", "bank_name", "bank_account_no", "bank_account_holder"]
        return list(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        client: Client = form.cleaned_data["client"]
        account = margin_account_open(
            client=client,
            by=request.user,
            bank_name=form.cleaned_data["bank_name"],
            bank_account_no=form.cleaned_data["bank_account_no"],
            bank_account_holder=form.cleaned_data["bank_account_holder"],
        )
        obj.pk = account.pk

    @admin.display(description=_("balances"))
    def balances(self, obj: MarginAccount) -> str:
        rows = sorted(natural_balances(obj, obj.currency).items())
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><td>{}</td><td style='text-align:right'>{}</td></tr>", rows),
        )

    @admin.display(description=_("valuation today"))
    def valuation(self, obj: MarginAccount) -> str:
        v = account_valuation(margin_account=obj, on=timezone.localdate())
        ratio = "∞" if v.ratio is None else f"{(v.ratio * 100):.2f}%"
        return format_html(
            "{}: {} · {}: {} · {}: {} · {}: {}",
            _("cash"),
            v.cash,
            _("securities"),
            v.securities_value,
            _("owed"),
            v.liabilities,
            _("maintenance ratio"),
            ratio,
        )

    @admin.display(description=_("trading"))
    def trading(self, obj: MarginAccount) -> str:
        links = [
            ("custody_order_changelist", f"margin_account__id__exact={obj.pk}", _("orders")),
            ("custody_fill_changelist", f"margin_account__id__exact={obj.pk}", _("fills")),
            ("custody_position_changelist", f"margin_account__id__exact={obj.pk}", _("positions")),
            (
                "custody_financingmovement_changelist",
                f"margin_account__id__exact={obj.pk}",
                _("financing movements"),
            ),
            ("custody_financingrequest_add", f"margin_account={obj.pk}", _("draw or repay")),
        ]
        return format_html_join(
            " · ",
            '<a href="{}?{}">{}</a>',
            ((reverse(f"admin:{name}"), query, label) for name, query, label in links),
        )


@admin.register(LedgerAccountType)
class LedgerAccountTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "scope", "normal_side", "non_negative"]
    list_filter = ["scope", "normal_side"]


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "account_type", "currency", "balance", "natural_balance"]
    list_filter = ["account_type", "currency"]
    search_fields = ["margin_account__account_no"]
    list_select_related = ["margin_account", "account_type", "balance_row"]
    change_list_template = "admin/custody/ledgeraccount_change_list.html"

    @admin.display(description=_("balance (debit +)"))
    def balance(self, obj: LedgerAccount) -> Any:
        return obj.balance_row.balance

    @admin.display(description=_("balance"))
    def natural_balance(self, obj: LedgerAccount) -> Any:
        return obj.balance_row.natural_balance

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "as-of/",
                self.admin_site.admin_view(self.as_of_view),
                name="custody_ledgeraccount_as_of",
            ),
            *super().get_urls(),
        ]

    def as_of_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        error: Any = ""
        try:
            on = date.fromisoformat(request.GET.get("on") or timezone.localdate().isoformat())
        except ValueError:
            on, error = timezone.localdate(), _("The date must be YYYY-MM-DD; showing today.")
        account_no = request.GET.get("account", "").strip()
        account = (
            MarginAccount.objects.filter(account_no=account_no).first() if account_no else None
        )
        if account_no and account is None:
            error = _("No margin account %s.") % account_no
        missing = bool(account_no) and account is None
        rows = [] if missing else balances_as_of(on, margin_account=account)
        context = {
            **self.admin_site.each_context(request),
            "on": on,
            "rows": rows,
            "account_no": account_no,
            "error": error,
            "title": _("Balances as of a date"),
        }
        return TemplateResponse(request, "admin/custody/balances_as_of.html", context)


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ["ledger_account", "amount", "currency"]
    readonly_fields = ["ledger_account", "amount", "currency"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Posting]:
        return (
            super()
            .get_queryset(request)
            .select_related("ledger_account__margin_account", "ledger_account__account_type")
        )


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "business_date",
        "kind",
        "memo",
        "margin_account",
        "reverses",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind"]
    date_hierarchy = "business_date"
    search_fields = ["idempotency_key", "memo", "margin_account__account_no"]
    list_select_related = ["margin_account", "created_by", "reverses"]
    readonly_fields = [
        "business_date",
        "kind",
        "memo",
        "idempotency_key",
        "margin_account",
        "reverses",
        "created_by",
        "created_at",
        "reversal_link",
    ]
    fields = readonly_fields
    inlines = [PostingInline]

    @admin.display(description=_("reversed by"))
    def reversal_link(self, obj: JournalEntry) -> str:
        reversal = JournalEntry.objects.filter(reverses=obj).first()
        if reversal is None:
            return "—"
        url = reverse("admin:custody_journalentry_change", args=[reversal.pk])
        return format_html('<a href="{}">#{}</a>', url, reversal.pk)


@admin.register(FundMovement)
class FundMovementAdmin(ReadOnlyAdmin):
    list_display = [
        "business_date",
        "margin_account",
        "direction",
        "channel",
        "amount",
        "own_account",
        "cross_border",
        "counterparty",
        "screened_at",
    ]
    list_filter = ["direction", "channel", "own_account", "cross_border"]
    date_hierarchy = "business_date"
    search_fields = ["margin_account__account_no"]
    list_select_related = ["margin_account__client"]
