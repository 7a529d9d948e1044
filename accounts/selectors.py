"""Reads, always scoped to who is asking."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from accounts import rules
from accounts.enums import ClientStatus, ScreeningStatus
from accounts.models import Client, KycDocument, ScreeningCase
from core.exceptions import PermissionRefused

REVIEWABLE = [s for s in ClientStatus.values if s != ClientStatus.CLOSED]


def clients_visible_to(user: Any) -> QuerySet[Client]:
    """Staff who may view clients see them all; a client's login sees only its own record."""
    if not getattr(user, "is_authenticated", False):
        return Client.objects.none()
    if user.is_staff and user.has_perm("accounts.view_client"):
        return Client.objects.all()
    return Client.objects.filter(user=user)


def document_for(*, user: Any, pk: int) -> KycDocument:
    """A document the requester may open; anything else is refused the same way."""
    if user.is_staff and not user.has_perm("accounts.view_kycdocument"):
        raise PermissionRefused(f"{user} may not open client documents")
    document = (
        KycDocument.objects.filter(pk=pk, client__in=clients_visible_to(user))
        .select_related("client")
        .first()
    )
    if document is None:
        raise PermissionRefused("no such document for this login")
    return document


def kyc_waiting() -> QuerySet[Client]:
    return Client.objects.filter(status=ClientStatus.KYC_SUBMITTED)


def open_cases() -> QuerySet[ScreeningCase]:
    return ScreeningCase.objects.filter(status=ScreeningStatus.OPEN)


def reassessment_due(on: date) -> QuerySet[Client]:
    """Clients whose questionnaire falls due within the notice period (or is overdue)."""
    notice = rules.suitability(on)["reassessment_notice_days"]
    return Client.objects.filter(
        status__in=REVIEWABLE, suitability_review_due__lte=on + timedelta(days=notice)
    ).exclude(status=ClientStatus.SUSPENDED)


def screening_clear(client: Client) -> bool:
    """No open or confirmed screening case: later stages check this before acting."""
    return not ScreeningCase.objects.filter(
        client=client, status__in=[ScreeningStatus.OPEN, ScreeningStatus.CONFIRMED]
    ).exists()
