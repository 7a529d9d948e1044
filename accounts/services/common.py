"""Helpers shared by the accounts services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.db.models import Max, Model
from django.utils import timezone

from accounts.enums import ClientStatus
from accounts.models import Client, KycContribution, User
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.idempotency import run_once

M = TypeVar("M", bound=Model)

EDITABLE = {ClientStatus.DRAFT, ClientStatus.KYC_SUBMITTED, ClientStatus.KYC_REJECTED}


def today() -> date:
    return timezone.localdate()


def require_perm(actor: Any, perm: str, what: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionRefused(f"{actor} may not {what}")


def require_text(value: str, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{field}: {what} is required", field=field)
    return text


def ensure_editable(client: Client) -> None:
    if client.status not in EDITABLE:
        raise IllegalTransition(
            f"client {client} is {client.get_status_display()}: identity details are locked once "
            "KYC is verified; open a new KYC review to change them"
        )


def contribute(*, client: Client, user: User, kind: str, what: str = "") -> None:
    KycContribution.objects.create(
        client=client, user=user, kind=kind, cycle=client.kyc_cycle, what=what[:200]
    )


def next_client_no() -> str:
    top = Client.objects.aggregate(top=Max("client_no"))["top"] or "C0000000"
    return f"C{int(top[1:]) + 1:07d}"


def once(
    *,
    scope: str,
    key: str | None,
    payload: dict[str, Any],
    make: Callable[[], M],
    model: type[M],
    actor: Any = None,
) -> M:
    """Run ``make`` once per idempotency key: a repeated POST returns the row it made first."""
    if not key:
        return make()
    result, _replayed = run_once(
        scope=scope, key=key, payload=payload, action=lambda: {"pk": make().pk}, actor=actor
    )
    return model._default_manager.get(pk=result["pk"])
