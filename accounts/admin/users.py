"""Console pages for staff users: roles, second factors, disabling."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from accounts.services import end_sessions, user_deactivate
from core import audit
from core.enums import AuditAction


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "roles", "is_staff", "is_active", "has_mfa"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["username", "display_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("display_name", "email", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["disable_users"]

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        return ", ".join(g.name for g in obj.groups.all())

    @admin.display(boolean=True, description=_("TOTP"))
    def has_mfa(self, obj: User) -> bool:
        return TOTPDevice.objects.filter(user=obj, confirmed=True).exists()

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        if change and "groups" in form.changed_data:
            audit.record(
                action=AuditAction.APPROVAL,
                actor=request.user,
                obj=obj,
                details={"change": "roles"},
            )
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            ended = end_sessions(user=obj)
            audit.record(
                action=AuditAction.USER_DISABLED,
                actor=request.user,
                obj=obj,
                details={"sessions_ended": ended},
            )

    @admin.action(description=_("Disable selected users and end their sessions"))
    def disable_users(self, request: HttpRequest, queryset: Any) -> None:
        count = 0
        for user in queryset.exclude(pk=request.user.pk):
            user_deactivate(user=user, by=request.user, reason="disabled from the console")
            count += 1
        messages.success(request, _("%d users disabled; their sessions and tokens ended.") % count)
