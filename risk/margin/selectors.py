"""Reads of margin calls, scoped to the client or account the caller may see."""

from __future__ import annotations

from typing import Any

from risk.margin.enums import OPEN_CALL_STATUSES, Channel
from risk.margin.models import MarginCall, MarginNotification


def open_call_for_client(client: Any) -> MarginCall | None:
    """The client's open margin call (at most one, held by the database)."""
    return (
        MarginCall.objects.filter(margin_account__client=client, status__in=OPEN_CALL_STATUSES)
        .select_related("margin_account")
        .first()
    )


def portal_messages(client: Any, limit: int = 5) -> list[MarginNotification]:
    """The latest margin messages shown to the client in the portal."""
    return list(
        MarginNotification.objects.filter(
            call__margin_account__client=client, channel=Channel.PORTAL
        ).order_by("-created_at")[:limit]
    )
