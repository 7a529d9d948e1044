"""Security events into the audit log, and session tracking for forced sign-out.

These are framework hooks (Django's auth signals and Axes), not business rules.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import UserSession
from core import audit
from core.context import client_ip
from core.enums import AuditAction, AuditOutcome


@receiver(user_logged_in, dispatch_uid="fulcrum_audit_login")
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and request.session.session_key:
        UserSession.objects.get_or_create(
            session_key=request.session.session_key, defaults={"user": user}
        )
    audit.record(
        action=AuditAction.LOGIN,
        actor=user,
        obj=user,
        source_ip=client_ip(request) if request is not None else None,
        details={"verified": bool(getattr(user, "otp_device", None))},
    )


@receiver(user_login_failed, dispatch_uid="fulcrum_audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        actor_repr=username,
        source_ip=client_ip(request) if request is not None else None,
        details={"reason": kw.get("reason", "password")},
    )


@receiver(user_logged_out, dispatch_uid="fulcrum_audit_logout")
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit.record(
        action=AuditAction.LOGOUT,
        actor=user,
        obj=user,
        source_ip=client_ip(request) if request is not None else None,
    )


@receiver(user_locked_out, dispatch_uid="fulcrum_audit_locked_out")
def on_locked_out(sender: Any, request: Any, username: str, ip_address: str, **kw: Any) -> None:
    audit.record(
        action=AuditAction.LOCKED_OUT,
        outcome=AuditOutcome.DENIED,
        actor_repr=str(username or "")[:150],
        source_ip=ip_address,
    )
