"""Console: import bank statements, see their lines, resolve reconciliation breaks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin_tools import ActionPanelMixin, FulcrumAdmin, ReadOnlyAdmin
from core.exceptions import DomainError
from custody.enums import BreakStatus
from custody.models import BankStatement, BankStatementLine, ReconciliationBreak
from custody.services.statements import break_resolve, statement_import

MAX_STATEMENT_BYTES = 20 * 1024 * 1024


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("statement file (CSV or camt.053 XML)"))


class LineInline(admin.TabularInline):
    model = BankStatementLine
    fields = [
        "line_no",
        "booking_date",
        "direction",
        "amount",
        "currency",
        "reference",
        "counterparty_name",
        "counterparty_masked",
        "status",
        "deposit",
        "withdrawal",
    ]
    readonly_fields = [
        "line_no",
        "booking_date",
        "direction",
        "amount",
        "currency",
        "reference",
        "counterparty_name",
        "counterparty_masked",
        "status",
        "deposit",
        "withdrawal",
    ]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BankStatement)
class BankStatementAdmin(ReadOnlyAdmin):
    list_display = [
        "file_name",
        "format",
        "statement_id",
        "line_count",
        "matched_count",
        "break_count",
        "imported_by",
        "imported_at",
    ]
    readonly_fields = [
        "file_name",
        "format",
        "statement_id",
        "sha256",
        "line_count",
        "matched_count",
        "break_count",
        "imported_by",
        "imported_at",
    ]
    inlines = [LineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("custody.import_bankstatement")

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StatementUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_STATEMENT_BYTES:
                    raise DomainError("the file is larger than 20 MB; split the statement")
                statement = statement_import(
                    file_name=upload.name, data=upload.read(), by=request.user
                )
            except DomainError as error:
                self.report_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("%(n)d lines: %(m)d matched, %(b)d breaks.")
                    % {
                        "n": statement.line_count,
                        "m": statement.matched_count,
                        "b": statement.break_count,
                    },
                )
                return HttpResponseRedirect(
                    reverse("admin:custody_bankstatement_change", args=[statement.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import a bank statement"),
            "opts": self.model._meta,
            "multipart": True,
        }
        return TemplateResponse(request, "admin/custody/upload_form.html", context)


@admin.register(ReconciliationBreak)
class ReconciliationBreakAdmin(ActionPanelMixin, FulcrumAdmin):
    list_display = [
        "id",
        "kind",
        "status",
        "amount",
        "expected_amount",
        "description",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["description"]
    readonly_fields = [
        "kind",
        "status",
        "line",
        "ledger_account",
        "amount",
        "expected_amount",
        "description",
        "resolution_note",
        "resolved_by",
        "resolved_at",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def panel_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str]]:
        if obj.status != BreakStatus.OPEN or not request.user.has_perm(
            "custody.change_reconciliationbreak"
        ):
            return []
        return [("resolve", str(_("Resolved (say how)")))]

    def run_panel_action(self, request: HttpRequest, obj: Any, name: str, note: str) -> str:
        break_resolve(brk=obj, by=request.user, note=note)
        return str(_("Resolved."))
