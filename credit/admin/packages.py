"""The package catalogue; terms are parameter versions proposed and approved by two people."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_tools import FulcrumAdmin
from core.enums import ParameterStatus
from core.exceptions import DomainError
from core.models import ParameterVersion
from credit.admin.common import as_text, table
from credit.models import LeveragePackage
from credit.rules import effective_max_financing_ratio, package_snapshot, regulatory_rules
from credit.services import leverage_package_define, leverage_package_set_active


class PackageAddForm(forms.ModelForm):
    class Meta:
        model = LeveragePackage
        fields = ["code", "name", "description", "display_order"]


@admin.register(LeveragePackage)
class LeveragePackageAdmin(FulcrumAdmin):
    added_message = _("Package added. Now propose its terms; a colleague must approve them.")

    list_display = ["code", "name", "active", "risk_level", "leverage_today", "propose_link"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    actions = ["offer", "withdraw"]
    readonly_fields = [
        "code",
        "name",
        "description",
        "active",
        "parameter_set",
        "propose_link",
        "terms_in_force",
        "pending_changes",
    ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any):
        if obj is None:
            kw["form"] = PackageAddForm
        return super().get_form(request, obj, change=change, **kw)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return list(PackageAddForm.Meta.fields)
        return list(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change page is a read-only view; terms change through "Propose a change".
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def added_redirect(self, obj: Any) -> str:
        return reverse("admin:core_parameterversion_add") + f"?parameter_set={obj.parameter_set_id}"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        package = leverage_package_define(
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            display_order=form.cleaned_data["display_order"],
        )
        obj.pk = package.pk

    def _snapshot(self, obj: LeveragePackage) -> Any:
        try:
            return package_snapshot(obj, timezone.localdate())
        except DomainError:
            return None

    @admin.display(description=_("risk level"))
    def risk_level(self, obj: LeveragePackage) -> str:
        snap = self._snapshot(obj)
        return str(snap["risk_level"]) if snap else "—"

    @admin.display(description=_("usable leverage today"))
    def leverage_today(self, obj: LeveragePackage) -> str:
        try:
            return str(effective_max_financing_ratio(obj, timezone.localdate()).normalize())
        except DomainError:
            return "—"

    @admin.display(description=_("change terms"))
    def propose_link(self, obj: LeveragePackage) -> str:
        url = reverse("admin:core_parameterversion_add") + f"?parameter_set={obj.parameter_set_id}"
        return format_html('<a href="{}">{}</a>', url, _("Propose a change"))

    @admin.display(description=_("terms in force today"))
    def terms_in_force(self, obj: LeveragePackage) -> str:
        today = timezone.localdate()
        snap = self._snapshot(obj)
        if snap is None:
            return str(_("No approved terms in force yet: propose them."))
        reg = regulatory_rules(today)
        rows = [(k, as_text(obj_value)) for k, obj_value in snap.values.items()]
        rows.append(("— regulation: max financing ratio", str(reg.max_financing_ratio.normalize())))
        rows.append(("— usable leverage today", self.leverage_today(obj)))
        return table(rows)

    @admin.display(description=_("proposed changes"))
    def pending_changes(self, obj: LeveragePackage) -> str:
        pending = ParameterVersion.objects.filter(
            parameter_set_id=obj.parameter_set_id, status=ParameterStatus.PROPOSED
        ).order_by("effective_from")
        if not pending:
            return "—"
        rows = [
            (
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:core_parameterversion_change", args=[v.pk]),
                    v.effective_from,
                ),
                str(v.maker or ""),
                v.reason,
            )
            for v in pending
        ]
        return table(rows, ("effective from", "proposed by", "reason"))

    def _set_active(self, request: HttpRequest, queryset: Any, active: bool) -> None:
        for package in queryset:
            try:
                leverage_package_set_active(
                    package=package,
                    active=active,
                    by=request.user,
                    reason=f"{'offered' if active else 'withdrawn'} in the console",
                )
            except DomainError as error:
                self.report_refusal(request, error, package)

    @admin.action(description=_("Offer to new applications"), permissions=["add"])
    def offer(self, request: HttpRequest, queryset: Any) -> None:
        self._set_active(request, queryset, True)

    @admin.action(description=_("Withdraw from new applications"), permissions=["add"])
    def withdraw(self, request: HttpRequest, queryset: Any) -> None:
        self._set_active(request, queryset, False)
