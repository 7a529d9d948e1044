"""Console pages for rules (parameter sets and their maker-checker versions) and the audit log."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core import audit
from core.admin_tools import DecisionAdminMixin, FulcrumAdmin, ReadOnlyMixin
from core.enums import AuditAction, ParameterStatus, ValueType
from core.exceptions import DomainError, InvalidInput
from core.models import AuditEvent, ParameterSet, ParameterVersion
from core.params.lookup import version_in_force
from core.params.registry import run_validators
from core.params.schema import decode_values
from core.params.services import (
    parameter_change_approve,
    parameter_change_propose,
    parameter_change_reject,
)


class VersionInline(admin.TabularInline):
    model = ParameterVersion
    fields = ["effective_from", "status", "source", "maker", "checker", "reason"]
    readonly_fields = ["effective_from", "status", "source", "maker", "checker", "reason"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ParameterSet)
class ParameterSetAdmin(FulcrumAdmin):
    list_display = ["key", "name", "category", "in_force_today", "propose_link"]
    list_filter = ["category"]
    search_fields = ["key", "name"]
    readonly_fields = ["key", "name", "category", "description", "schema_table", "current_values"]
    fields = readonly_fields
    inlines = [VersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("in force today"))
    def in_force_today(self, obj: ParameterSet) -> str:
        try:
            return str(version_in_force(obj.key, timezone.localdate()).effective_from)
        except DomainError:
            return "—"

    @admin.display(description=_("change"))
    def propose_link(self, obj: ParameterSet) -> str:
        url = reverse("admin:core_parameterversion_add") + f"?parameter_set={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Propose a change"))

    @admin.display(description=_("parameters"))
    def schema_table(self, obj: ParameterSet) -> str:
        rows = [
            (key, spec.get("label", ""), spec["type"], spec.get("min", ""), spec.get("max", ""))
            for key, spec in obj.schema.items()
        ]
        body = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
        )
        return format_html(
            "<table><tr><th>key</th><th>meaning</th><th>type</th><th>min</th><th>max</th></tr>"
            "{}</table>",
            body,
        )

    @admin.display(description=_("values in force today"))
    def current_values(self, obj: ParameterSet) -> str:
        try:
            version = version_in_force(obj.key, timezone.localdate())
        except DomainError as error:
            return str(error)
        rows = [(k, json.dumps(v, ensure_ascii=False)) for k, v in version.values.items()]
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows),
        )


def _form_field(key: str, spec: dict[str, Any]) -> forms.Field:
    label = f"{key} — {spec.get('label', '')}".strip(" —")
    kind = ValueType(spec["type"])
    if kind == ValueType.DECIMAL:
        return forms.DecimalField(label=label, max_digits=20, decimal_places=10)
    if kind == ValueType.INTEGER:
        return forms.IntegerField(label=label)
    if kind == ValueType.BOOLEAN:
        return forms.BooleanField(label=label, required=False)
    if kind == ValueType.CHOICE:
        return forms.ChoiceField(label=label, choices=[(c, c) for c in spec.get("choices", [])])
    if kind == ValueType.JSON:
        return forms.JSONField(label=label, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    return forms.CharField(label=label)


class ProposeChangeForm(forms.ModelForm):
    class Meta:
        model = ParameterVersion
        fields = ["parameter_set", "effective_from", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parameter_set = self._chosen_set()
        if self.parameter_set is None:
            return
        self.fields["parameter_set"].disabled = True
        try:
            current = version_in_force(self.parameter_set.key, timezone.localdate()).typed_values()
        except DomainError:
            current = {}
        for key, spec in self.parameter_set.schema.items():
            self.fields[f"value__{key}"] = _form_field(key, spec)
            self.fields[f"value__{key}"].initial = current.get(key)

    def _chosen_set(self) -> ParameterSet | None:
        raw = self.initial.get("parameter_set") or self.data.get("parameter_set")
        if isinstance(raw, ParameterSet):
            return raw
        return ParameterSet.objects.filter(pk=raw).first() if raw else None

    def values(self) -> dict[str, Any]:
        if self.parameter_set is None:
            return {}
        return {key: self.cleaned_data.get(f"value__{key}") for key in self.parameter_set.schema}

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.parameter_set is None:
            raise forms.ValidationError(_("Choose a parameter set first."))
        effective_from: date | None = cleaned.get("effective_from")
        if effective_from is None:
            return cleaned
        raw = {
            k: (str(v) if not isinstance(v, (dict, list, bool)) else v)
            for k, v in self.values().items()
        }
        try:
            typed = decode_values(self.parameter_set.schema, raw)
            run_validators(self.parameter_set.key, typed, effective_from)
        except InvalidInput as error:
            name = f"value__{error.field}" if error.field in self.parameter_set.schema else None
            self.add_error(name, str(error))
        return cleaned


@admin.register(ParameterVersion)
class ParameterVersionAdmin(DecisionAdminMixin, FulcrumAdmin):
    added_message = _("Proposed. A different colleague must approve it.")
    decision_permission = "core.approve_parameterversion"
    list_display = ["parameter_set", "effective_from", "status", "source", "maker", "checker"]
    list_filter = ["status", "source", "parameter_set"]
    date_hierarchy = "effective_from"
    readonly_fields = [
        "parameter_set",
        "effective_from",
        "values_table",
        "status",
        "source",
        "reason",
        "maker",
        "checker",
        "proposed_at",
        "decided_at",
        "decision_note",
    ]

    def is_pending(self, obj: ParameterVersion) -> bool:
        return obj.status == ParameterStatus.PROPOSED

    def decide(self, request: HttpRequest, obj: Any, *, approve: bool, note: str) -> str:
        if approve:
            parameter_change_approve(version=obj, checker=request.user, note=note)
            return str(_("Approved: the new values take effect on %s.")) % obj.effective_from
        parameter_change_reject(version=obj, checker=request.user, note=note)
        return str(_("Rejected."))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.propose_parameterversion")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and self.has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any):
        if obj is None:
            kw["form"] = ProposeChangeForm
            kw["fields"] = None
        return super().get_form(request, obj, change=change, **kw)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            form = ProposeChangeForm(initial=request.GET.dict(), data=request.POST or None)
            return list(form.fields)
        return list(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    @admin.display(description=_("values"))
    def values_table(self, obj: ParameterVersion) -> str:
        rows = [(k, json.dumps(v, ensure_ascii=False)) for k, v in obj.values.items()]
        return format_html(
            "<table>{}</table>", format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows)
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        version = parameter_change_propose(
            parameter_set=form.parameter_set,
            effective_from=form.cleaned_data["effective_from"],
            values={k: _jsonable(v) for k, v in form.values().items()},
            maker=request.user,
            reason=form.cleaned_data["reason"],
        )
        obj.pk = version.pk


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dict, list, bool)) or value is None:
        return value
    return str(value)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "actor_repr", "action", "outcome", "object_repr", "source_ip"]
    list_filter = ["action", "outcome"]
    search_fields = ["actor_repr", "object_repr", "object_id", "source_ip"]
    date_hierarchy = "occurred_at"
    actions = ["export_csv"]
    readonly_fields = [
        "occurred_at",
        "actor_repr",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "outcome",
        "source_ip",
        "details",
        "prev_hash",
        "hash",
    ]

    @admin.action(description=_("Export selected events as CSV"), permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "id",
                "occurred_at_utc",
                "actor",
                "action",
                "outcome",
                "object_type",
                "object_id",
                "object",
                "source_ip",
                "hash",
            ]
        )
        rows = queryset.order_by("pk")
        for e in rows:
            writer.writerow(
                [
                    e.pk,
                    e.occurred_at.isoformat(),
                    e.actor_repr,
                    e.action,
                    e.outcome,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.source_ip,
                    e.hash,
                ]
            )
        audit.record(
            action=AuditAction.EXPORT, actor=request.user, details={"audit_events": rows.count()}
        )
        return response

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.export_auditevent")
