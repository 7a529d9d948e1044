"""Sign-in security: the two-factor admin login form and the lock-out answer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.forms import OTPAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class _CountsFailedSecondFactor:
    """One-step second factor: the code picks its device; a failure counts as a failed login.

    A six-digit code is checked against the user's authenticator app, anything else against
    their backup codes, so nobody has to choose a device before typing.
    """

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def _chosen_device(self, user: Any) -> Any:
        device = super()._chosen_device(user)  # type: ignore[misc]
        if device is not None:
            return device
        token = str(self.cleaned_data.get("otp_token") or "").strip()
        if token.isdigit() and len(token) == 6:
            return TOTPDevice.objects.filter(user=user, confirmed=True).first()
        return StaticDevice.objects.filter(user=user, confirmed=True).first()

    def clean_otp(self, user: Any) -> None:
        try:
            super().clean_otp(user)  # type: ignore[misc]
        except ValidationError:
            user_login_failed.send(
                sender=type(self),
                credentials={"username": user.get_username() if user else ""},
                request=self.request,
                reason="second factor",
            )
            raise


class StaffLoginForm(_CountsFailedSecondFactor, OTPAdminAuthenticationForm):
    """Password plus TOTP (or a backup code); no device, no entry."""


class ClientLoginForm(_CountsFailedSecondFactor, OTPAuthenticationForm):
    """The portal's sign-in: password plus the client's authenticator code."""


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kw: Any) -> Any:
    """Axes calls this when an account is locked: say so plainly and say until when."""
    from django.conf import settings

    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    context = {
        "until": until,
        "limit": settings.AXES_FAILURE_LIMIT,
        "message": _(
            "This account is locked after too many failed sign-in attempts. "
            "Try again after %(until)s, or ask an administrator to unlock it."
        )
        % {"until": until.strftime("%Y-%m-%d %H:%M")},
    }
    response: HttpResponse = render(request, "accounts/locked_out.html", context, status=429)
    return response
