"""Building blocks for console pages that call services instead of saving models directly.

* :class:`FulcrumAdmin` — history on every page (django-simple-history), domain errors shown as
  messages, never as 500s.
* :class:`DecisionAdminMixin` — Approve / Reject buttons with a note on the change page, for
  anything that needs a second person (rule changes, KYC, credit, withdrawals, overrides).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core import audit
from core.enums import AuditAction, AuditOutcome
from core.exceptions import DomainError


class FulcrumAdmin(SimpleHistoryAdmin):
    """Base console page: history tab, and service refusals as readable messages."""

    list_per_page = 50

    def report_refusal(self, request: HttpRequest, error: DomainError, obj: Any = None) -> None:
        messages.error(request, str(error))
        if error.code in {"segregation_of_duties", "permission_refused"}:
            audit.record(
                action=AuditAction.PERMISSION_DENIED,
                actor=request.user,
                obj=obj,
                outcome=AuditOutcome.DENIED,
                details={"reason": str(error)},
            )


class ReadOnlyMixin:
    """Records written only by services: visible, never editable by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, FulcrumAdmin):
    """Read-only with a history tab."""


class DecisionAdminMixin:
    """Approve/Reject on the change page; subclasses implement :meth:`decide`."""

    change_form_template = "admin/core/decision_change_form.html"
    decision_permission: str = ""
    model: type[models.Model]
    admin_site: admin.AdminSite

    def can_decide(self, request: HttpRequest, obj: Any) -> bool:
        return bool(obj) and request.user.has_perm(self.decision_permission)

    def is_pending(self, obj: Any) -> bool:
        raise NotImplementedError

    def decide(self, request: HttpRequest, obj: Any, *, approve: bool, note: str) -> str:
        """Call the approving service; return a success message. Raise DomainError to refuse."""
        raise NotImplementedError

    def get_urls(self) -> list[URLPattern]:
        meta = self.model._meta
        urls = [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decision_view),
                name=f"{meta.app_label}_{meta.model_name}_decide",
            )
        ]
        return urls + super().get_urls()  # type: ignore[misc]

    def decision_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=object_id)
        change_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
            args=[obj.pk],
        )
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        if not self.can_decide(request, obj):
            raise PermissionDenied
        approve = "_approve" in request.POST
        note = request.POST.get("decision_note", "")
        try:
            message = self.decide(request, obj, approve=approve, note=note)
        except DomainError as error:
            self.report_refusal(request, error, obj)  # type: ignore[attr-defined]
        else:
            messages.success(request, message)
        return HttpResponseRedirect(change_url)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = dict(extra_context or {})
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None and self.is_pending(obj) and self.can_decide(request, obj):
            meta = self.model._meta
            context["decision_url"] = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_decide", args=[obj.pk]
            )
            context["decision_title"] = _("Decision (you must not be the requester)")
        return super().change_view(request, object_id, form_url, context)  # type: ignore[misc]
