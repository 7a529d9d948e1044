"""Demo portal logins: a few clients can sign in to the portal (password + TOTP)."""

from __future__ import annotations

import hashlib

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import ClientStatus
from accounts.models import Client, User
from accounts.services import client_login_create
from core.demo import DemoContext

PORTAL_STATES = [
    ClientStatus.ACTIVE,
    ClientStatus.MARGIN_CALL,
    ClientStatus.CONTRACT_SIGNED,
    ClientStatus.CREDIT_APPROVED,
    ClientStatus.ELIGIBLE,
]
LOGINS = 4


def client_password(client_no: str) -> str:
    return f"Portal-{client_no}-2026"


def _key(client_no: str) -> str:
    return hashlib.sha256(f"fulcrum-demo-portal:{client_no}".encode()).hexdigest()[:40]


def _chosen() -> list[Client]:
    chosen: list[Client] = []
    for status in PORTAL_STATES:
        for client in Client.objects.filter(status=status).order_by("client_no"):
            if len(chosen) < LOGINS:
                chosen.append(client)
    return chosen


def _login_for(client: Client, ctx: DemoContext) -> User:
    if client.user is not None:
        return client.user
    enrolment = client_login_create(
        client=client,
        username=client.client_no.lower(),
        password=client_password(client.client_no),
        by=ctx.staff["ops1"],
        key_hex=_key(client.client_no),
    )
    return enrolment.device.user


def seed(ctx: DemoContext) -> None:
    for client in _chosen():
        user = _login_for(client, ctx)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        password = client_password(client.client_no)
        ctx.credentials.append((user.username, password, device.config_url))
        ctx.notes.append(f"portal: {user.username} is {client} ({client.get_status_display()})")
    ctx.log(f"portal: {len(_chosen())} client logins")
