"""Demo staff (two per role, for maker-checker) and clients in every onboarding state."""

from __future__ import annotations

import hashlib

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import StaffRole
from accounts.models import Client, User
from accounts.services import client_login_create, staff_user_create, totp_enrol
from core.demo import DemoContext

DEMO_STAFF: list[tuple[str, str, str]] = [
    ("admin", StaffRole.ADMINISTRATOR, "Alex Admin 管理员"),
    ("ops1", StaffRole.OPERATIONS, "Olivia Ops 运营一"),
    ("ops2", StaffRole.OPERATIONS, "Oscar Ops 运营二"),
    ("risk1", StaffRole.RISK_OFFICER, "Rita Risk 风控一"),
    ("risk2", StaffRole.RISK_OFFICER, "Ravi Risk 风控二"),
    ("compliance1", StaffRole.COMPLIANCE, "Chen Compliance 合规一"),
    ("compliance2", StaffRole.COMPLIANCE, "Clara Compliance 合规二"),
    ("finance1", StaffRole.FINANCE, "Fang Finance 财务一"),
    ("finance2", StaffRole.FINANCE, "Felix Finance 财务二"),
    ("auditor", StaffRole.AUDITOR, "Ada Auditor 审计"),
]


def demo_password(username: str) -> str:
    return f"Fulcrum-{username}-2026"


def _demo_key(username: str) -> str:
    # A stable secret per demo user, so the otpauth URL printed stays valid across reseeds.
    return hashlib.sha256(f"fulcrum-demo-totp:{username}".encode()).hexdigest()[:40]


def client_demo_password(client_no: str) -> str:
    return f"Portal-{client_no}-2026"


def client_demo_login(ctx: DemoContext, client: Client) -> User:
    """The demo client's portal login (password + TOTP, and an email address for signing
    codes), created once and reused; its credentials are printed once per run.

    Later stages' demos (contracts, portal) give logins to the clients they need this way, so
    the credentials printed are always the ones that work.
    """
    user = client.user
    if user is None:
        enrolment = client_login_create(
            client=client,
            username=client.client_no.lower(),
            password=client_demo_password(client.client_no),
            by=ctx.staff["ops1"],
            key_hex=_demo_key(f"portal:{client.client_no}"),
            email=f"{client.client_no.lower()}@clients.fulcrum.example",
        )
        user = enrolment.device.user
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    if not any(username == user.username for username, _p, _u in ctx.credentials):
        ctx.credentials.append(
            (user.username, client_demo_password(client.client_no), device.config_url)
        )
    return user


def seed(ctx: DemoContext) -> None:
    seed_staff(ctx)
    from accounts.demo_onboarding import seed_onboarding

    seed_onboarding(ctx)


def seed_staff(ctx: DemoContext) -> None:
    for username, role, name in DEMO_STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = staff_user_create(
                username=username, password=demo_password(username), role=role, display_name=name
            )
            if role == StaffRole.ADMINISTRATOR:
                User.objects.filter(pk=user.pk).update(is_superuser=True)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            totp_enrol(user=user, key_hex=_demo_key(username))
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        ctx.staff[username] = user
        ctx.credentials.append((username, demo_password(username), device.config_url))
    ctx.log(f"staff: {len(DEMO_STAFF)} people in {len(StaffRole.values)} roles")
