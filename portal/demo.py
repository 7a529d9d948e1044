"""Demo portal logins: a few clients can sign in to the portal (password + TOTP)."""

from __future__ import annotations

from accounts.demo import client_demo_login
from accounts.enums import ClientStatus
from accounts.models import Client
from core.demo import DemoContext

PORTAL_STATES = [
    ClientStatus.ACTIVE,
    ClientStatus.MARGIN_CALL,
    ClientStatus.CONTRACT_SIGNED,
    ClientStatus.CREDIT_APPROVED,
    ClientStatus.ELIGIBLE,
]
LOGINS = 4


def _chosen() -> list[Client]:
    """Clients who already have a login (earlier stages' demos gave them one), then a few more
    in the later states, up to ``LOGINS``."""
    chosen = list(
        Client.objects.filter(status__in=PORTAL_STATES, user__isnull=False).order_by("client_no")
    )
    for status in PORTAL_STATES:
        for client in Client.objects.filter(status=status, user__isnull=True).order_by("client_no"):
            if len(chosen) < LOGINS:
                chosen.append(client)
    return chosen


def seed(ctx: DemoContext) -> None:
    chosen = _chosen()
    for client in chosen:
        user = client_demo_login(ctx, client)
        ctx.notes.append(f"portal: {user.username} is {client} ({client.get_status_display()})")
    ctx.log(f"portal: {len(chosen)} client logins")
