"""Contracts in the console: by state, their documents (audited download), signature, history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from contracts import selectors
from contracts.admin.credit_lines import CreditLineContractsMixin
from contracts.models import Contract, ContractDocument, SigningChallenge
from contracts.rules import signing_rules
from contracts.services import contract_issue, contract_terminate
from core import audit
from core.admin_tools import FulcrumAdmin, ReadOnlyAdmin
from core.enums import AuditAction
from core.exceptions import DomainError


class EndingFilter(admin.SimpleListFilter):
    title = _("ending")
    parameter_name = "ending"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("soon", _("within the expiry horizon"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() != "soon":
            return queryset
        today = timezone.localdate()
        soon = selectors.expiring_soon(
            today=today, within_days=signing_rules(today).expiring_soon_days
        )
        return queryset.filter(pk__in=soon.values("pk"))


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("Why is the contract terminated?"), widget=forms.Textarea)


@admin.register(Contract)
class ContractAdmin(CreditLineContractsMixin, FulcrumAdmin):
    list_display = [
        "contract_no",
        "client",
        "status",
        "language",
        "term_start",
        "term_end",
        "issued_at",
        "sign_by",
    ]
    list_filter = ["status", EndingFilter, "language"]
    search_fields = ["contract_no", "client__client_no", "client__display_name"]
    date_hierarchy = "generated_at"
    list_select_related = ["client"]
    actions = ["issue_drafts"]
    change_form_template = "admin/contracts/contract_change_form.html"
    change_list_template = "admin/contracts/contract_change_list.html"
    fields = [
        "contract_no",
        "client",
        "status",
        "language",
        "term_start",
        "term_end",
        "subject",
        "supersedes",
        "generated_at",
        "generated_by",
        "issued_at",
        "issued_by",
        "sign_by",
        "activated_at",
        "ended_at",
        "end_reason",
        "documents_table",
        "signature_summary",
        "terms_table",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The list's actions need it; the record itself is only ever written by services.
        return obj is None and request.user.has_perm("contracts.issue_contract")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("subject"))
    def subject(self, obj: Contract) -> str:
        return f"{obj.subject_kind} {obj.subject_ref}".strip() or "—"

    @admin.display(description=_("documents"))
    def documents_table(self, obj: Contract) -> str:
        rows = [
            (
                d.get_kind_display(),
                reverse("admin:contracts_contract_download", args=[d.pk]),
                d.title,
                d.sha256,
                d.page_count,
                d.template_version,
            )
            for d in obj.documents.select_related("template_version__template")
        ]
        body = format_html_join(
            "",
            '<tr><td>{}</td><td><a href="{}">{}</a></td><td><code>{}</code></td><td>{}</td>'
            "<td>{}</td></tr>",
            rows,
        )
        return format_html("<table>{}</table>", body)

    @admin.display(description=_("signature"))
    def signature_summary(self, obj: Contract) -> str:
        signature = getattr(obj, "signature", None)
        if signature is None:
            return "—"
        return format_html(
            "{} · {} · {} · {}",
            timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M:%S"),
            signature.signed_by,
            signature.ip_address or "—",
            signature.user_agent or "—",
        )

    @admin.display(description=_("terms (as generated)"))
    def terms_table(self, obj: Contract) -> str:
        rows = [(k, v) for k, v in obj.terms.items() if k != "schema"]
        return format_html(
            "<table>{}</table>", format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows)
        )

    def has_issue_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("contracts.issue_contract")

    @admin.action(description=_("Issue selected drafts to their clients"), permissions=["issue"])
    def issue_drafts(self, request: HttpRequest, queryset: QuerySet[Contract]) -> None:
        issued = 0
        for contract in queryset.filter(status="draft").order_by("pk"):
            try:
                contract_issue(contract=contract, by=request.user)
            except DomainError as error:
                self.report_refusal(request, error, contract)
            else:
                issued += 1
        messages.success(request, _("%d contracts issued.") % issued)

    def get_urls(self) -> list[URLPattern]:
        urls = [
            path(
                "document/<int:document_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="contracts_contract_download",
            ),
            path(
                "<int:contract_id>/terminate/",
                self.admin_site.admin_view(self.terminate_view),
                name="contracts_contract_terminate",
            ),
        ]
        return urls + self.credit_line_urls() + super().get_urls()

    def download_view(self, request: HttpRequest, document_id: int) -> HttpResponseBase:
        if not request.user.has_perm("contracts.download_contractdocument"):
            raise PermissionDenied
        document = get_object_or_404(
            ContractDocument.objects.select_related("contract"), pk=document_id
        )
        audit.record(
            action=AuditAction.EXPORT,
            actor=request.user,
            obj=document.contract,
            details={"document": document.kind, "sha256": document.sha256},
        )
        return FileResponse(
            document.pdf.open("rb"),
            as_attachment=True,
            filename=f"{document.contract.contract_no}-{document.kind}.pdf",
            content_type="application/pdf",
        )

    def terminate_view(self, request: HttpRequest, contract_id: int) -> HttpResponse:
        if not request.user.has_perm("contracts.terminate_contract"):
            raise PermissionDenied
        contract = get_object_or_404(Contract, pk=contract_id)
        change_url = reverse("admin:contracts_contract_change", args=[contract.pk])
        form = TerminateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                contract_terminate(
                    contract=contract, by=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                self.report_refusal(request, error, contract)
            else:
                messages.success(request, _("Contract %s terminated.") % contract.contract_no)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Terminate contract %s") % contract.contract_no,
            "contract": contract,
            "form": form,
            "opts": self.model._meta,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/contracts/terminate.html", context)


@admin.register(SigningChallenge)
class SigningChallengeAdmin(ReadOnlyAdmin):
    list_display = ["contract", "channel", "recipient_masked", "status", "attempts", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["contract__contract_no"]
    fields = [
        "contract",
        "requested_by",
        "channel",
        "recipient_masked",
        "status",
        "attempts",
        "max_attempts",
        "created_at",
        "expires_at",
        "used_at",
    ]
    readonly_fields = fields
