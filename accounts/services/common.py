"""Helpers shared by the accounts services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Max
from django.utils import timezone

from accounts.enums import ClientStatus
from accounts.models import Client, KycContribution, User
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused

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
