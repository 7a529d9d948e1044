"""The system's own identity: who "made" what a scheduled job proposes.

A beat job that proposes a change (the market regime indicator proposing a new ``market-regime``)
needs a maker, and maker-checker needs that maker to be someone a person can approve against.
That is the system user: one non-login account (no usable password, not staff, so neither the
console nor the portal lets it in), created idempotently with exactly the permissions declared
here. It may *propose*; it holds no approving permission, so the second person is always a
human (``core.sod`` and the approving services' permission checks still apply).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

SYSTEM_USERNAME = "fulcrum-system"
SYSTEM_DISPLAY_NAME = "Fulcrum (scheduled jobs)"
#: Everything the system user may do; never an approval or a decision.
SYSTEM_PERMISSIONS: tuple[str, ...] = ("core.propose_parameterversion",)


def _permissions() -> list[Permission]:
    found = []
    for dotted in SYSTEM_PERMISSIONS:
        app_label, codename = dotted.split(".", 1)
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


@transaction.atomic
def system_user() -> Any:
    """The system user, created on first use; reruns change nothing but restore its settings.

    Active (Django grants no permission to an inactive account) but unable to log in: the
    password is unusable and it is not staff. Its permissions are reset to
    :data:`SYSTEM_PERMISSIONS`, so nothing granted by hand survives.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"display_name": SYSTEM_DISPLAY_NAME, "is_staff": False, "is_active": True},
    )
    changed = created
    if user.has_usable_password():
        user.set_unusable_password()
        changed = True
    if user.is_staff or user.is_superuser or not user.is_active:
        user.is_staff, user.is_superuser, user.is_active = False, False, True
        changed = True
    if changed:
        user.save()
    wanted = _permissions()
    if set(user.user_permissions.all()) != set(wanted) or user.groups.exists():
        user.user_permissions.set(wanted)
        user.groups.clear()
    return user_model.objects.get(pk=user.pk)  # fresh: no stale permission cache
