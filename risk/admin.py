"""Console: order entry (operations channel) and the what-if form, on the Orders page.

Both call the one pre-trade service: *What-if* (``pretrade_check``, changes nothing) and
*Enter an order* (``order_submit`` with channel ``ops``, recorded accepted or rejected).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.money import PRICE_DECIMAL_PLACES, PRICE_MAX_DIGITS
from custody.admin.trading import OrderAdmin
from custody.enums import OrderChannel
from custody.models import MarginAccount, Order
from markets.enums import OrderType, Side
from risk.orders import order_submit
from risk.pretrade import pretrade_check


class OrderTicketForm(forms.Form):
    margin_account = forms.ModelChoiceField(
        queryset=MarginAccount.objects.select_related("client"), label=_("margin account")
    )
    instrument = forms.CharField(max_length=6, label=_("instrument code"))
    side = forms.ChoiceField(choices=Side.choices, label=_("side"))
    order_type = forms.ChoiceField(choices=OrderType.choices, label=_("type"))
    quantity = forms.IntegerField(min_value=1, label=_("quantity (shares)"))
    limit_price = forms.DecimalField(
        max_digits=PRICE_MAX_DIGITS,
        decimal_places=PRICE_DECIMAL_PLACES,
        required=False,
        label=_("limit price"),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)


class WhatIfForm(OrderTicketForm):
    idempotency_key = None  # type: ignore[assignment]  # a what-if changes nothing
    on = forms.DateField(
        required=False,
        label=_("trade date"),
        help_text=_(
            "Empty: today. Another day checks that day's band, lots and halts; positions are "
            "marked at the latest prices."
        ),
    )


class TradingOrderAdmin(OrderAdmin):
    change_list_template = "admin/risk/order_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        return [
            path("what-if/", self.admin_site.admin_view(self.what_if_view), name="risk_whatif"),
            path("enter/", self.admin_site.admin_view(self.enter_view), name="risk_order_enter"),
            *super().get_urls(),
        ]

    def _form_context(self, request: HttpRequest, form: forms.Form, title: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "form": form,
            "title": title,
            "opts": Order._meta,
        }

    def what_if_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("custody.view_order"):
            raise PermissionDenied
        form = WhatIfForm(request.GET or None)
        context = self._form_context(request, form, _("What-if: pre-trade checks and ratios"))
        if request.GET and form.is_valid():
            data = form.cleaned_data
            try:
                context["check"] = pretrade_check(
                    margin_account=data["margin_account"],
                    instrument=data["instrument"],
                    side=data["side"],
                    quantity=data["quantity"],
                    order_type=data["order_type"],
                    limit_price=data["limit_price"],
                    on=data["on"],
                )
            except DomainError as error:
                context["error"] = str(error)
        return TemplateResponse(request, "admin/risk/whatif.html", context)

    def enter_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("custody.enter_order"):
            raise PermissionDenied
        form = OrderTicketForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = order_submit(
                    margin_account=data["margin_account"],
                    instrument=data["instrument"],
                    side=data["side"],
                    quantity=data["quantity"],
                    order_type=data["order_type"],
                    limit_price=data["limit_price"],
                    channel=OrderChannel.OPS,
                    submitted_by=request.user,
                    idempotency_key=data["idempotency_key"],
                )
            except DomainError as error:
                self.report_refusal(request, error)
            else:
                if result.accepted:
                    messages.success(request, _("Order #%d accepted.") % result.order.pk)
                else:
                    messages.error(
                        request,
                        _("Order #%(pk)d rejected: %(why)s")
                        % {"pk": result.order.pk, "why": "; ".join(result.reasons)},
                    )
                url = reverse("admin:custody_order_change", args=[result.order.pk])
                return HttpResponseRedirect(url)
        context = self._form_context(request, form, _("Enter an order"))
        return TemplateResponse(request, "admin/custody/service_form.html", context)


admin.site.unregister(Order)
admin.site.register(Order, TradingOrderAdmin)
from risk.margin import admin as margin_admin  # noqa: E402, F401 - registers the margin pages
from risk.stress import admin as stress_admin  # noqa: E402, F401 - registers the stress pages
