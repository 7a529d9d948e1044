"""A panel of named steps (with a note) on a change page, each calling one service.

Used for the funding queues, breaks and AML cases: the buttons shown are the steps the object's
state allows and the signed-in person may take; a refusal is shown as a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse

from core.exceptions import DomainError


class ActionPanelMixin:
    change_form_template = "admin/custody/panel_change_form.html"
    model: type[models.Model]
    admin_site: admin.AdminSite

    def panel_actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str]]:
        """``(name, label)`` of the steps offered now."""
        raise NotImplementedError

    def run_panel_action(self, request: HttpRequest, obj: Any, name: str, note: str) -> str:
        """Call the service for ``name``; return a success message or raise DomainError."""
        raise NotImplementedError

    def get_urls(self) -> list[URLPattern]:
        meta = self.model._meta
        urls = [
            path(
                "<path:object_id>/step/",
                self.admin_site.admin_view(self.panel_view),
                name=f"{meta.app_label}_{meta.model_name}_step",
            )
        ]
        return urls + super().get_urls()  # type: ignore[misc]

    def panel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=object_id)
        meta = self.model._meta
        back = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        name = request.POST.get("step", "")
        allowed = {n for n, _ in self.panel_actions(request, obj)}
        try:
            if name not in allowed:
                raise DomainError(f"{name.replace('_', ' ')} is not possible now")
            message = self.run_panel_action(request, obj, name, request.POST.get("note", ""))
        except DomainError as error:
            self.report_refusal(request, error, obj)  # type: ignore[attr-defined]
        else:
            messages.success(request, message)
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
                meta = self.model._meta
                context["panel_steps"] = steps
                context["panel_url"] = reverse(
                    f"admin:{meta.app_label}_{meta.model_name}_step", args=[obj.pk]
                )
        return super().change_view(request, object_id, form_url, context)  # type: ignore[misc]
