"""The operations console: every staff login needs a password and a TOTP (or backup) code."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from accounts.security import StaffLoginForm
from core.console import queues_for


class FulcrumAdminSite(OTPAdminSite):
    site_header = _("Fulcrum operations console")
    site_title = _("Fulcrum")
    index_title = _("Your work today")
    index_template = "admin/fulcrum_index.html"
    login_form = StaffLoginForm
    login_template = "admin/fulcrum_login.html"
    enable_nav_sidebar = True

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = dict(extra_context or {})
        context["work_queues"] = queues_for(request.user)
        context["role_names"] = list(request.user.groups.values_list("name", flat=True))
        return super().index(request, context)
