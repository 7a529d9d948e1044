"""Staff and login services: roles, second factors, disabling users."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.enums import StaffRole
from accounts.models import User, UserSession
from accounts.roles import role_group
from core import audit
from core.enums import AuditAction
from core.exceptions import InvalidInput

BACKUP_CODE_COUNT = 10


@transaction.atomic
def staff_user_create(
    *, username: str, password: str, role: str, display_name: str = "", email: str = ""
) -> User:
    """A staff member in one role; they still need a second factor before the console opens."""
    if role not in StaffRole.values:
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(StaffRole.values)}")
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"the username {username!r} is taken", field="username")
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        display_name=display_name,
        is_staff=True,
    )
    user.groups.add(role_group(role))
    return user


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    config_url: str
    backup_codes: list[str]


@transaction.atomic
def totp_enrol(*, user: User, name: str = "authenticator", key_hex: str | None = None) -> Enrolment:
    """Give ``user`` a TOTP device and a fresh set of single-use backup codes.

    Any earlier devices are replaced: enrolling is also how a lost phone is handled.
    """
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    options: dict[str, Any] = {"user": user, "name": name, "confirmed": True}
    if key_hex:
        options["key"] = key_hex
    device = TOTPDevice.objects.create(**options)
    static = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    audit.record(action=AuditAction.MFA_ENROLLED, obj=user, details={"device": name})
    return Enrolment(device=device, config_url=device.config_url, backup_codes=codes)


def totp_current_code(*, user: User) -> str:
    """The code the user's authenticator shows now (demo tooling only)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise InvalidInput(f"{user} has no authenticator enrolled")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def user_deactivate(*, user: User, by: Any, reason: str) -> int:
    """Disable a login and end everything it holds: sessions and API tokens."""
    if not reason.strip():
        raise InvalidInput("say why the user is disabled", field="reason")
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    ended = end_sessions(user=user)
    Token.objects.filter(user=user).delete()
    audit.record(
        action=AuditAction.USER_DISABLED,
        actor=by,
        obj=user,
        details={"reason": reason.strip(), "sessions_ended": ended},
    )
    return ended


def end_sessions(*, user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def client_login_create(
    *,
    client: Any,
    username: str,
    password: str,
    by: Any,
    key_hex: str | None = None,
    email: str = "",
) -> Enrolment:
    """Give a client a portal login with an authenticator; the portal needs both factors.

    ``email`` is where the client receives one-time codes (e.g. to sign a contract)."""
    locked = type(client).objects.select_for_update().get(pk=client.pk)
    if locked.user_id is not None:
        raise InvalidInput(f"client {locked} already has a portal login", field="username")
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"the username {username!r} is taken", field="username")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise InvalidInput("; ".join(exc.messages), field="password") from exc
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(f"{email!r} is not an email address", field="email") from exc
    user = User.objects.create_user(
        username=username, password=password, email=email, display_name=locked.display_name
    )
    locked.user = user
    locked.save(update_fields=["user", "updated_at"])
    client.user = user
    audit.record(
        action=AuditAction.APPROVAL, actor=by, obj=locked, details={"portal_login": username}
    )
    return totp_enrol(user=user, key_hex=key_hex)
