"""Reads for the console and the risk monitor."""

from __future__ import annotations

from django.db.models import QuerySet

from risk.liquidation.enums import OPEN_LIQUIDATION_STATUSES, ShortfallStatus
from risk.liquidation.models import Liquidation, ShortfallCase


def liquidations_in_flight() -> QuerySet[Liquidation]:
    """Open cases (planned or executing), with their account and client, oldest first."""
    return (
        Liquidation.objects.filter(status__in=OPEN_LIQUIDATION_STATUSES)
        .select_related("margin_account__client")
        .order_by("opened_at", "pk")
    )


def liquidations_of(margin_account_id: int) -> QuerySet[Liquidation]:
    return Liquidation.objects.filter(margin_account_id=margin_account_id).order_by("-opened_at")


def open_shortfall_cases() -> QuerySet[ShortfallCase]:
    return ShortfallCase.objects.filter(
        status__in=[ShortfallStatus.OPEN, ShortfallStatus.IN_RECOVERY]
    ).select_related("margin_account__client")
