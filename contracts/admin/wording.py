"""The template and clause editor: propose a new version, preview it, a colleague decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contracts.enums import VersionStatus
from contracts.models import Clause, ClauseVersion, ContractTemplate, TemplateVersion
from contracts.previews import clause_version_preview, template_version_preview
from contracts.services import (
    clause_version_approve,
    clause_version_propose,
    clause_version_reject,
    template_version_approve,
    template_version_propose,
    template_version_reject,
)
from core.admin_tools import DecisionAdminMixin, FulcrumAdmin
from core.exceptions import DomainError

_CODE = forms.Textarea(attrs={"rows": 28, "cols": 110, "style": "font-family: monospace"})


def _approved_number(versions: Any) -> str:
    version = versions.filter(status=VersionStatus.APPROVED).first()
    return f"v{version.number}" if version else "—"


@admin.register(ContractTemplate)
class ContractTemplateAdmin(FulcrumAdmin):
    list_display = ["name", "kind", "language", "in_use", "propose_link"]
    list_filter = ["kind", "language"]
    readonly_fields = ["kind", "language", "name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("approved version"))
    def in_use(self, obj: ContractTemplate) -> str:
        return _approved_number(obj.versions)

    @admin.display(description=_("change"))
    def propose_link(self, obj: ContractTemplate) -> str:
        url = reverse("admin:contracts_templateversion_add") + f"?template={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Propose new wording"))


@admin.register(Clause)
class ClauseAdmin(ContractTemplateAdmin):
    list_display = ["code", "language", "in_use", "propose_link"]
    list_filter = ["code", "language"]
    readonly_fields = ["code", "language"]

    @admin.display(description=_("change"))
    def propose_link(self, obj: Clause) -> str:  # type: ignore[override]
        url = reverse("admin:contracts_clauseversion_add") + f"?clause={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Propose new wording"))


class TemplateVersionForm(forms.ModelForm):
    class Meta:
        model = TemplateVersion
        fields = ["template", "title", "body", "stylesheet", "reason"]
        widgets = {"body": _CODE, "stylesheet": _CODE}


class ClauseVersionForm(forms.ModelForm):
    class Meta:
        model = ClauseVersion
        fields = ["clause", "title", "body", "reason"]
        widgets = {"body": _CODE}


class VersionAdmin(DecisionAdminMixin, FulcrumAdmin):
    """Shared: proposals go through the service; approved wording is read-only."""

    added_message = _("Proposed. A different colleague must approve it.")

    parent_field = ""
    propose_permission = ""
    list_filter = ["status", "source"]
    readonly_fields: list[str] = []

    # The approving and rejecting services, and what the console says after an approval.
    approve_service: Any = None
    reject_service: Any = None
    approved_message: Any = ""

    def is_pending(self, obj: Any) -> bool:
        return obj.status == VersionStatus.PROPOSED

    def decide(self, request: HttpRequest, obj: Any, *, approve: bool, note: str) -> str:
        if approve:
            self.approve_service(version=obj, checker=request.user, note=note)
            return str(self.approved_message)
        self.reject_service(version=obj, checker=request.user, note=note)
        return str(_("Rejected."))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.propose_permission)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and self.has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return list(self.form._meta.fields or [])
        return list(self.readonly_fields)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """Start a proposal from the wording in use."""
        initial = dict(super().get_changeform_initial_data(request))
        parent_id = request.GET.get(self.parent_field)
        if parent_id:
            current = self.model._default_manager.filter(
                **{f"{self.parent_field}_id": parent_id, "status": VersionStatus.APPROVED}
            ).first()
            if current is not None:
                for name in self.form._meta.fields or []:
                    if name not in (self.parent_field, "reason"):
                        initial[name] = getattr(current, name)
        return initial

    def get_urls(self) -> list[URLPattern]:
        meta = self.model._meta
        urls = [
            path(
                "<int:object_id>/preview.pdf",
                self.admin_site.admin_view(self.preview_view),
                name=f"{meta.app_label}_{meta.model_name}_preview",
            )
        ]
        return urls + super().get_urls()

    def preview(self, obj: Any) -> Any:
        raise NotImplementedError

    def preview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=object_id)
        try:
            pdf = self.preview(obj)
        except DomainError as error:
            self.report_refusal(request, error, obj)
            meta = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            )
        return HttpResponse(pdf.content, content_type="application/pdf")

    @admin.display(description=_("preview"))
    def preview_link(self, obj: Any) -> str:
        meta = self.model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("PDF with sample terms"))

    @admin.display(description=_("wording"))
    def body_code(self, obj: Any) -> str:
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', obj.body)


# Shown on every proposed or decided version, after the fields that differ per kind.
DECISION_FIELDS = ["reason", "maker", "checker", "proposed_at", "decided_at", "decision_note"]
VERSION_HEAD = ["number", "title", "status", "source", "preview_link", "variables", "body_code"]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(VersionAdmin):
    form = TemplateVersionForm
    parent_field = "template"
    propose_permission = "contracts.propose_templateversion"
    decision_permission = "contracts.approve_templateversion"
    approve_service = staticmethod(template_version_approve)
    reject_service = staticmethod(template_version_reject)
    approved_message = _("Approved: new contracts use this wording from now on.")
    list_display = ["template", "number", "title", "status", "source", "maker", "checker"]
    list_filter = ["status", "source", "template__kind", "template__language"]
    readonly_fields = ["template", *VERSION_HEAD, "stylesheet", *DECISION_FIELDS]

    def preview(self, obj: TemplateVersion) -> Any:
        return template_version_preview(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        version = template_version_propose(
            template=data["template"],
            title=data["title"],
            body=data["body"],
            stylesheet=data.get("stylesheet") or "",
            maker=request.user,
            reason=data["reason"],
        )
        obj.pk = version.pk


@admin.register(ClauseVersion)
class ClauseVersionAdmin(VersionAdmin):
    form = ClauseVersionForm
    parent_field = "clause"
    propose_permission = "contracts.propose_clauseversion"
    decision_permission = "contracts.approve_clauseversion"
    approve_service = staticmethod(clause_version_approve)
    reject_service = staticmethod(clause_version_reject)
    approved_message = _("Approved: new contracts use this clause from now on.")
    list_display = ["clause", "number", "title", "status", "source", "maker", "checker"]
    list_filter = ["status", "source", "clause__code", "clause__language"]
    readonly_fields = ["clause", *VERSION_HEAD, *DECISION_FIELDS]

    def preview(self, obj: ClauseVersion) -> Any:
        return clause_version_preview(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        version = clause_version_propose(
            clause=data["clause"],
            title=data["title"],
            body=data["body"],
            maker=request.user,
            reason=data["reason"],
        )
        obj.pk = version.pk
