"""Console: orders, fills, positions per account, financing movements and requests.

Order entry and the what-if form are added by ``risk.admin`` (they run the pre-trade checks,
which live in risk); here the records are read and open orders can be cancelled.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_tools import DecisionAdminMixin, FulcrumAdmin, ReadOnlyAdmin
from core.exceptions import DomainError
from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from custody.admin.funding import ServiceAddMixin
from custody.enums import OPEN_ORDER_STATUSES, FinancingKind, FinancingRequestStatus
from custody.models import Fill, FinancingMovement, FinancingRequest, MarginAccount, Order, Position
from custody.services.financing_requests import financing_request_decide, financing_request_submit
from custody.services.orders import order_cancel


def entry_link(entry_id: int | None) -> str:
    if entry_id is None:
        return "—"
    url = reverse("admin:custody_journalentry_change", args=[entry_id])
    return format_html('<a href="{}">#{}</a>', url, entry_id)


class CompactColumns:
    """Short account and instrument columns so the lists fit a screen."""

    @admin.display(description=_("account"), ordering="margin_account__account_no")
    def account(self, obj: Any) -> str:
        return str(obj.margin_account.account_no)

    @admin.display(description=_("code"), ordering="instrument__code")
    def code(self, obj: Any) -> str:
        return str(obj.instrument.code)


class OrderAdmin(CompactColumns, ReadOnlyAdmin):
    list_display = [
        "id",
        "trade_date",
        "account",
        "code",
        "side",
        "order_type",
        "quantity",
        "limit_price",
        "status",
        "filled_quantity",
        "channel",
    ]
    list_filter = ["status", "side", "channel", "purpose", "trade_date"]
    search_fields = ["margin_account__account_no", "instrument__code", "idempotency_key"]
    list_select_related = ["margin_account__client", "instrument"]
    readonly_fields = [
        "margin_account",
        "instrument",
        "side",
        "order_type",
        "quantity",
        "limit_price",
        "reference_price",
        "channel",
        "purpose",
        "liquidation_ref",
        "trade_date",
        "status",
        "reasons_list",
        "filled_quantity",
        "filled_value",
        "commission",
        "financed_amount",
        "what_if_at_entry",
        "submitted_by",
        "submitted_at",
        "closed_note",
        "idempotency_key",
    ]
    actions = ["cancel_open"]

    @admin.display(description=_("reasons for rejection"))
    def reasons_list(self, obj: Order) -> str:
        if not obj.reasons:
            return "—"
        items = format_html_join("", "<li>{}</li>", ((reason,) for reason in obj.reasons))
        return format_html("<ul>{}</ul>", items)

    @admin.display(description=_("what-if at entry"))
    def what_if_at_entry(self, obj: Order) -> str:
        data = {k: v for k, v in (obj.what_if or {}).items() if k != "positions"}
        return format_html("<pre>{}</pre>", json.dumps(data, indent=1, ensure_ascii=False))

    @admin.action(description=_("Cancel the selected open orders"), permissions=["cancel"])
    def cancel_open(self, request: HttpRequest, queryset: Any) -> None:
        done = 0
        for order in queryset.filter(status__in=OPEN_ORDER_STATUSES).order_by("pk"):
            try:
                order_cancel(order=order, by=request.user, reason="cancelled in the console")
            except DomainError as error:
                self.report_refusal(request, error, order)
            else:
                done += 1
        messages.success(request, _("%d order(s) cancelled.") % done)

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("custody.cancel_order")


admin.site.register(Order, OrderAdmin)


@admin.register(Fill)
class FillAdmin(CompactColumns, ReadOnlyAdmin):
    list_display = [
        "exec_id",
        "trade_date",
        "account",
        "code",
        "side",
        "quantity",
        "price",
        "value",
        "commission",
        "stamp_duty",
        "transfer_fee",
        "financed",
        "repaid",
        "entry_ref",
    ]
    list_filter = ["side", "trade_date"]
    search_fields = ["exec_id", "margin_account__account_no", "instrument__code"]
    list_select_related = ["margin_account__client", "instrument"]
    readonly_fields = [f.name for f in Fill._meta.fields] + ["entry_ref"]

    @admin.display(description=_("journal entry"))
    def entry_ref(self, obj: Fill) -> str:
        return entry_link(obj.entry_id)


@admin.register(Position)
class PositionAdmin(CompactColumns, ReadOnlyAdmin):
    list_display = [
        "account",
        "code",
        "quantity",
        "sellable_quantity",
        "pending_quantity",
        "pending_since",
        "average_cost",
        "total_cost",
        "realised_pnl",
    ]
    list_filter = ["instrument__board"]
    search_fields = ["margin_account__account_no", "margin_account__client__display_name"]
    list_select_related = ["margin_account__client", "instrument"]
    readonly_fields = [
        "margin_account",
        "instrument",
        "quantity",
        "sellable_quantity",
        "pending_quantity",
        "pending_since",
        "average_cost",
        "total_cost",
        "realised_pnl",
        "updated_at",
    ]


@admin.register(FinancingMovement)
class FinancingMovementAdmin(ReadOnlyAdmin):
    list_display = [
        "business_date",
        "margin_account",
        "kind",
        "source",
        "amount",
        "interest",
        "fees",
        "principal",
        "entry_ref",
    ]
    list_filter = ["kind", "source", "business_date"]
    search_fields = ["margin_account__account_no"]
    list_select_related = ["margin_account__client"]
    readonly_fields = [f.name for f in FinancingMovement._meta.fields] + ["entry_ref"]

    @admin.display(description=_("journal entry"))
    def entry_ref(self, obj: FinancingMovement) -> str:
        return entry_link(obj.entry_id)


class FinancingRequestForm(forms.Form):
    margin_account = forms.ModelChoiceField(queryset=MarginAccount.objects.all())
    kind = forms.ChoiceField(choices=FinancingKind.choices)
    amount = forms.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)


@admin.register(FinancingRequest)
class FinancingRequestAdmin(ServiceAddMixin, DecisionAdminMixin, FulcrumAdmin):
    add_form = FinancingRequestForm
    decision_permission = "custody.approve_financingrequest"
    list_display = [
        "id",
        "margin_account",
        "kind",
        "amount",
        "status",
        "needs_second_person",
        "requested_by",
        "decided_by",
        "requested_at",
    ]
    list_filter = ["status", "kind", "needs_second_person"]
    search_fields = ["margin_account__account_no"]
    list_select_related = ["margin_account__client", "requested_by", "decided_by"]
    readonly_fields = [
        "margin_account",
        "kind",
        "amount",
        "currency",
        "status",
        "needs_second_person",
        "requested_by",
        "note",
        "decided_by",
        "decided_at",
        "outcome",
        "movement",
        "requested_at",
    ]

    def create_with_service(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        return financing_request_submit(
            margin_account=data["margin_account"],
            kind=data["kind"],
            amount=data["amount"],
            by=request.user,
            idempotency_key=data["idempotency_key"],
            note=data["note"],
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def is_pending(self, obj: Any) -> bool:
        return bool(obj.status == FinancingRequestStatus.PENDING)

    def decide(self, request: HttpRequest, obj: Any, *, approve: bool, note: str) -> str:
        done = financing_request_decide(request=obj, by=request.user, approve=approve, note=note)
        if done.status == FinancingRequestStatus.FAILED:
            raise DomainError(f"approved, but the financing service refused it: {done.outcome}")
        return str(_("Decided: %s.") % done.get_status_display())
