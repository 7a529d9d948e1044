"""Building blocks for console pages that call services instead of saving models directly.

* :class:`FulcrumAdmin` — history on every page (django-simple-history), domain errors shown as
  messages, never as 500s.
* :class:`DecisionAdminMixin` — Approve / Reject buttons with a note on the change page, for
  anything that needs a second person (rule changes, KYC, credit, withdrawals, overrides).
* :class:`ActionPanelMixin` — a panel of named steps (with a note) on a change page, each calling
  one service: the buttons shown are the steps the object's state allows and the signed-in
  person may take (funding queues, breaks, AML cases, clearing runs).
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
    # Set on pages whose add form calls a service: said after a successful add, which then
    # opens the new object (see :meth:`added_redirect`).
    added_message: Any = None

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        # The service refused inside the form's transaction, which rolled back: say why.
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as error:
            self.report_refusal(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: Any = None
    ) -> HttpResponse:
        if self.added_message is None:
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, str(self.added_message))
        return HttpResponseRedirect(self.added_redirect(obj))

    def added_redirect(self, obj: Any) -> str:
        return admin_url(obj, "change")

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


def admin_url(obj: models.Model, view: str) -> str:
    """The console URL of ``view`` ("change", "decide", "step") for one object."""
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def object_post_url(model_admin: Any, view: str, handler: Any) -> URLPattern:
    """``<pk>/<view>/`` on a model's console page, named like the admin's own URLs."""
    meta = model_admin.model._meta
    return path(
        f"<path:object_id>/{view}/",
        model_admin.admin_site.admin_view(handler),
        name=f"{meta.app_label}_{meta.model_name}_{view}",
    )


def run_and_report(model_admin: Any, request: HttpRequest, obj: Any, action: Any) -> None:
    """Run a console step; its message on success, the refusal (audited if denied) if not."""
    try:
        message = action()
    except DomainError as error:
        model_admin.report_refusal(request, error, obj)
    else:
        messages.success(request, message)


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
        return [object_post_url(self, "decide", self.decision_view)] + super().get_urls()  # type: ignore[misc]

    def decision_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=object_id)
        change_url = admin_url(obj, "change")
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        if not self.can_decide(request, obj):
            raise PermissionDenied
        approve = "_approve" in request.POST
        note = request.POST.get("decision_note", "")
        run_and_report(
            self, request, obj, lambda: self.decide(request, obj, approve=approve, note=note)
        )
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
            context["decision_url"] = admin_url(obj, "decide")
            context["decision_title"] = _("Decision (you must not be the requester)")
        return super().change_view(request, object_id, form_url, context)  # type: ignore[misc]


class ActionPanelMixin:
    """Named steps on the change page; subclasses list them and run one."""

    change_form_template = "admin/core/panel_change_form.html"
    model: type[models.Model]
    admin_site: admin.AdminSite

    def panel_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str]]:
        """``(name, label)`` of the steps offered now."""
        raise NotImplementedError

    def run_panel_action(self, request: HttpRequest, obj: Any, name: str, note: str) -> str:
        """Call the service for ``name``; return a success message or raise DomainError."""
        raise NotImplementedError

    def get_urls(self) -> list[URLPattern]:
        return [object_post_url(self, "step", self.panel_view)] + super().get_urls()  # type: ignore[misc]

    def panel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=object_id)
        back = admin_url(obj, "change")
        if request.method != "POST":
            return HttpResponseRedirect(back)
        name = request.POST.get("step", "")
        allowed = {n for n, _ in self.panel_actions(request, obj)}

        def step() -> str:
            if name not in allowed:
                raise DomainError(f"{name.replace('_', ' ')} is not possible now")
            return self.run_panel_action(request, obj, name, request.POST.get("note", ""))

        run_and_report(self, request, obj, step)
        return HttpResponseRedirect(back)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = dict(extra_context or {})
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None:
            steps = self.panel_actions(request, obj)
            if steps:
                context["panel_steps"] = steps
                context["panel_url"] = admin_url(obj, "step")
        return super().change_view(request, object_id, form_url, context)  # type: ignore[misc]
