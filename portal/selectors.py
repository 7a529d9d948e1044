"""Reads for the portal, always scoped to the signed-in client."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import Client


def client_for_user(user: Any) -> Client:
    try:
        return Client.objects.get(user=user)
    except Client.DoesNotExist as exc:
        raise Http404("no client record belongs to this login") from exc
