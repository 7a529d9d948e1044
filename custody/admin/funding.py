"""Console: deposits (held ones reviewed here), withdrawals (check, approve, send), batches."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import audit
from core.admin_tools import ActionPanelMixin, FulcrumAdmin, ReadOnlyAdmin
from core.enums import AuditAction
from core.exceptions import DomainError
from core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from custody.enums import DepositStatus, WithdrawalStatus
from custody.models import Deposit, MarginAccount, PaymentBatch, Withdrawal
from custody.services.deposits import deposit_expect, deposit_release, deposit_return
from custody.services.payments import payment_batch_file, withdrawals_send
from custody.services.withdrawals import (
    withdrawal_approve,
    withdrawal_check,
    withdrawal_fail,
    withdrawal_reject,
    withdrawal_request,
)

W = WithdrawalStatus


class MoneyRequestForm(forms.Form):
    margin_account = forms.ModelChoiceField(queryset=MarginAccount.objects.all())
    amount = forms.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    # A fresh key per form: submitting the same form twice moves money once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)


class ServiceAddMixin:
    """The add page is a small form that calls a service (never a bare model save)."""

    add_form: type[forms.Form] = MoneyRequestForm
    model: Any
    admin_site: Any

    def create_with_service(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        initial = request.GET.dict() if request.method == "GET" else None
        form = self.add_form(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                obj = self.create_with_service(request, form.cleaned_data)
            except DomainError as error:
                self.report_refusal(request, error)  # type: ignore[attr-defined]
            else:
                meta = obj._meta
                messages.success(request, _("Saved: %s") % obj)
                return HttpResponseRedirect(
                    reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("New %s") % self.model._meta.verbose_name,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/custody/service_form.html", context)


@admin.register(Deposit)
class DepositAdmin(ServiceAddMixin, ActionPanelMixin, FulcrumAdmin):
    list_display = [
        "reference",
        "margin_account",
        "amount",
        "channel",
        "status",
        "from_account_masked",
        "from_own_account",
        "expected_on",
    ]
    list_filter = ["status", "channel", "from_own_account"]
    search_fields = ["reference", "bank_reference", "margin_account__account_no"]
    list_select_related = ["margin_account__client"]
    readonly_fields = [
        "reference",
        "margin_account",
        "amount",
        "currency",
        "channel",
        "cross_border",
        "expected_on",
        "status",
        "received_amount",
        "bank_reference",
        "from_account_masked",
        "from_account_name",
        "from_own_account",
        "entry",
        "release_entry",
        "reviewed_by",
        "review_note",
        "created_at",
    ]

    def create_with_service(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        return deposit_expect(
            margin_account=data["margin_account"],
            amount=data["amount"],
            idempotency_key=data["idempotency_key"],
            by=request.user,
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def panel_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str]]:
        if obj.status != DepositStatus.HELD or not request.user.has_perm("custody.review_deposit"):
            return []
        return [
            ("release", str(_("Release to the client's cash"))),
            ("return", str(_("Return to the sender"))),
        ]

    def run_panel_action(self, request: HttpRequest, obj: Any, name: str, note: str) -> str:
        if name == "release":
            deposit_release(deposit=obj, by=request.user, note=note)
            return str(_("Released to the client's cash."))
        deposit_return(deposit=obj, by=request.user, note=note)
        return str(_("Returned to the sender."))


@admin.register(Withdrawal)
class WithdrawalAdmin(ServiceAddMixin, ActionPanelMixin, FulcrumAdmin):
    list_display = [
        "reference",
        "margin_account",
        "amount",
        "status",
        "needs_second_approval",
        "requested_by",
        "checked_by",
        "first_approver",
        "second_approver",
        "batch",
    ]
    list_filter = ["status", "needs_second_approval"]
    search_fields = ["reference", "margin_account__account_no"]
    list_select_related = [
        "margin_account__client",
        "requested_by",
        "checked_by",
        "first_approver",
        "second_approver",
        "batch",
    ]
    readonly_fields = [
        "reference",
        "margin_account",
        "amount",
        "currency",
        "status",
        "needs_second_approval",
        "requested_by",
        "checked_by",
        "first_approver",
        "second_approver",
        "batch",
        "hold_entry",
        "sent_entry",
        "confirm_entry",
        "outcome_note",
        "requested_at",
    ]
    actions = ["send_as_batch"]

    def create_with_service(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        return withdrawal_request(
            margin_account=data["margin_account"],
            amount=data["amount"],
            idempotency_key=data["idempotency_key"],
            by=request.user,
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def panel_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str]]:
        user = request.user
        steps = []
        if obj.status == W.REQUESTED and user.has_perm("custody.check_withdrawal"):
            steps.append(("check", str(_("Checked: rules hold"))))
        if obj.status == W.CHECKED and user.has_perm("custody.approve_withdrawal"):
            steps.append(("approve", str(_("Approve"))))
        if obj.status in (W.REQUESTED, W.CHECKED, W.APPROVED) and user.has_perm(
            "custody.approve_withdrawal"
        ):
            steps.append(("reject", str(_("Reject (cash returns to the client)"))))
        if obj.status == W.SENT and user.has_perm("custody.send_withdrawal"):
            steps.append(("fail", str(_("Bank returned it: failed"))))
        return steps

    def run_panel_action(self, request: HttpRequest, obj: Any, name: str, note: str) -> str:
        if name == "check":
            withdrawal_check(withdrawal=obj, by=request.user, note=note)
            return str(_("Checked."))
        if name == "approve":
            done = withdrawal_approve(withdrawal=obj, by=request.user, note=note)
            if done.status == W.CHECKED:
                return str(_("First approval recorded; a second approver must complete it."))
            return str(_("Approved; it can now be sent in a batch."))
        if name == "reject":
            withdrawal_reject(withdrawal=obj, by=request.user, reason=note)
            return str(_("Rejected; the held cash is back on the client's account."))
        withdrawal_fail(withdrawal=obj, by=request.user, reason=note)
        return str(_("Marked failed; the cash is back on the client's account."))

    @admin.action(
        description=_("Send the selected approved withdrawals as one batch"), permissions=["send"]
    )
    def send_as_batch(self, request: HttpRequest, queryset: Any) -> None:
        chosen = list(queryset.order_by("pk"))
        key = "console-" + "-".join(str(w.pk) for w in chosen)[:110]
        try:
            batch = withdrawals_send(withdrawals=chosen, by=request.user, idempotency_key=key)
        except DomainError as error:
            self.report_refusal(request, error)
            return
        messages.success(
            request,
            _("Batch %s produced; download its file from the batch page.") % batch.reference,
        )

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("custody.send_withdrawal")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "execution_date",
        "count",
        "total",
        "currency",
        "exported_at",
        "downloads",
    ]
    readonly_fields = [
        "reference",
        "execution_date",
        "count",
        "total",
        "currency",
        "created_by",
        "created_at",
        "file_sha256",
        "exported_at",
        "downloads",
    ]

    @admin.display(description=_("files"))
    def downloads(self, obj: PaymentBatch) -> str:
        xml = reverse("admin:custody_paymentbatch_file", args=[obj.pk, "pain001"])
        csv = reverse("admin:custody_paymentbatch_file", args=[obj.pk, "csv"])
        return format_html('<a href="{}">pain.001</a> · <a href="{}">CSV</a>', xml, csv)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/file/<str:fmt>/",
                self.admin_site.admin_view(self.file_view),
                name="custody_paymentbatch_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if not request.user.has_perm("custody.send_withdrawal"):
            raise PermissionDenied
        batch = get_object_or_404(PaymentBatch, pk=pk)
        name, content = payment_batch_file(batch=batch, fmt=fmt)
        audit.record(
            action=AuditAction.EXPORT, actor=request.user, obj=batch, details={"file": name}
        )
        kind = "application/xml" if name.endswith(".xml") else "text/csv"
        response = HttpResponse(content, content_type=f"{kind}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
