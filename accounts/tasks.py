"""Accounts tasks: each takes ids, calls one service, and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from accounts.models import Client
from accounts.services.screening import client_screen, screening_rescreen_all


@shared_task(name="accounts.rescreen_all_clients")
def rescreen_all_clients(list_id: int | None = None) -> dict[str, int]:
    """After a list import: every client against the updated lists (cleared cases stay cleared)."""
    return screening_rescreen_all()


@shared_task(name="accounts.screen_client")
def screen_client(client_id: int) -> dict[str, int]:
    client = Client.objects.get(pk=client_id)
    result = client_screen(client=client)
    return {"hits": result.hits, "opened": result.opened}
