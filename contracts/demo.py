"""Demo contracts: one signed and in force, one issued awaiting the client's signature, one that
expired unsigned — plus a wording change waiting for a second compliance officer.

Contracts are generated for clients whose credit is approved (the credit stage's demo creates
them). When there are none — this app running on its own — a few demo clients are walked through
onboarding to that state here. Terms are built from the firm's contract particulars in force and
a balanced package; once credit is wired, ``contracts.terms_builder`` builds them from the
client's credit line instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from accounts.demo import demo_password
from accounts.enums import ClientKind, ClientStatus
from accounts.models import Client, User
from accounts.services import totp_enrol
from contracts.delivery import CodeMessage
from contracts.enums import ContractStatus
from contracts.models import ClauseVersion, Contract
from contracts.rules import firm_particulars
from contracts.services import (
    clause_version_propose,
    contract_bundle_generate,
    contract_issue,
    contract_sign,
    contracts_daily,
    signing_code_send,
)
from contracts.services.generation import add_months
from contracts.terms import ContractTerms, FeeTerm
from core.demo import DemoContext
from core.fsm import apply_transition

WORDING_REASON = "Demo: say that margin calls also appear in the client app."

# client number, name, portal login, language, masked ID, address
DEMO_CLIENTS = [
    (
        "C9000101",
        "李明",
        "client.liming",
        "zh-hans",
        "310104********2437",
        "上海市徐汇区漕溪北路 398 号 1802 室",
    ),
    (
        "C9000102",
        "Chen Jing 陈静",
        "client.chenjing",
        "en",
        "440305********1829",
        "深圳市南山区科苑南路 2666 号 A 座 905 室",
    ),
    (
        "C9000103",
        "赵磊",
        "client.zhaolei",
        "zh-hans",
        "110108********0013",
        "北京市海淀区中关村大街 27 号 1106 室",
    ),
]


@dataclass
class _Capture:
    """Delivery for the demo's own signature: the code goes to the seeding process only."""

    channel: str = "sms"
    sent: list[CodeMessage] = field(default_factory=list)

    def address_for(self, user: Any) -> str:
        return "13800000000"

    def send(self, message: CodeMessage) -> None:
        self.sent.append(message)


def _portal_login(ctx: DemoContext, username: str, name: str, language: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=demo_password(username),
            email=f"{username}@clients.fulcrum.example",
            display_name=name,
            preferred_language=language,
        )
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        key = hashlib.sha256(f"fulcrum-demo-totp:{username}".encode()).hexdigest()[:40]
        totp_enrol(user=user, key_hex=key)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    ctx.credentials.append((username, demo_password(username), device.config_url))
    return user


def _onboard(ctx: DemoContext, spec: tuple[str, ...]) -> Client:
    """A demo client walked to CREDIT_APPROVED (the credit stage's demo does this for real)."""
    client_no, name, username, language, _id, _address = spec
    user = _portal_login(ctx, username, name, language)
    client, _ = Client.objects.get_or_create(
        client_no=client_no,
        defaults={"kind": ClientKind.PERSON, "display_name": name, "user": user},
    )
    steps = [
        ("submit_kyc", "ops1"),
        ("verify_kyc", "ops2"),
        ("assess_suitability", "compliance1"),
        ("mark_eligible", "compliance2"),
        ("approve_credit", "risk2"),
    ]
    for step, who in steps:
        if client.status == ClientStatus.CREDIT_APPROVED:
            break
        if step in {t.name for t in client.get_available_status_transitions()}:
            apply_transition(client, step, by=ctx.person(who), reason="demo onboarding")
            client.save()
    return client


def _terms(client: Client, start: datetime, identity: tuple[str, str]) -> ContractTerms:
    day = timezone.localtime(start).date()
    return ContractTerms(
        client_no=client.client_no,
        client_name=client.display_name,
        client_kind=client.kind,
        client_id_type="resident_id",
        client_id_masked=identity[0],
        client_address=identity[1],
        credit_line_ref=f"CL-DEMO-{client.client_no[-4:]}",
        credit_limit=Decimal("1500000.00"),
        currency="CNY",
        term_start=day,
        term_end=add_months(day, 6) - timedelta(days=1),
        package_key="package-balanced",
        package_name_zh="稳健型融资方案",
        package_name_en="Balanced package",
        package_risk_level="R4",
        package_effective_from=day,
        financing_margin_ratio=Decimal("1.00"),
        warning_line=Decimal("1.40"),
        liquidation_line=Decimal("1.30"),
        top_up_target=Decimal("1.60"),
        withdrawal_line=Decimal("3.00"),
        interest_rate=Decimal("0.0835"),
        day_count="ACT/360",
        penalty_rate_daily=Decimal("0.0005"),
        cure_period_trading_days=2,
        liquidation_order=("ineligible_collateral", "highest_loss", "largest_concentration"),
        fees=(
            FeeTerm(
                code="commission", basis="trade_value", rate=Decimal("0.0003"), amount=Decimal("5")
            ),
        ),
        **firm_particulars(day),
    )


def _client_for(ctx: DemoContext, taken: set[str]) -> tuple[Client, tuple[str, str]]:
    waiting = (
        Client.objects.filter(status=ClientStatus.CREDIT_APPROVED, contracts__isnull=True)
        .exclude(client_no__in=taken)
        .order_by("client_no")
        .first()
    )
    if waiting is not None:
        # Identity details come from KYC once the lead wires terms_builder; until then the
        # contract says where they are recorded instead of inventing them.
        return waiting, ("******************", "（以客户身份资料登记的地址为准）")
    spec = next(s for s in DEMO_CLIENTS if s[0] not in taken and not _has_contract(s[0]))
    return _onboard(ctx, spec), (spec[4], spec[5])


def _has_contract(client_no: str) -> bool:
    return Contract.objects.filter(client__client_no=client_no).exists()


def _sign(contract: Contract) -> None:
    user = contract.client.user
    capture = _Capture()
    signing_code_send(contract=contract, by=user, provider=capture)
    match = re.search(r"(?<!\d)\d{6}(?!\d)", capture.sent[0].body)
    if match is None:
        raise RuntimeError("the demo could not read its own signing code")
    code = match.group(0)
    contract_sign(
        contract=contract,
        code=code,
        by=user,
        ip_address="127.0.0.1",
        user_agent="Fulcrum demo seed",
        document_hashes={d.kind: d.sha256 for d in contract.documents.all()},
        risk_acknowledged=True,
        idempotency_key=f"demo-sign-{contract.contract_no}",
    )


def _scenario(ctx: DemoContext, name: str, taken: set[str]) -> Contract:
    client, identity = _client_for(ctx, taken)
    taken.add(client.client_no)
    ops = ctx.person("ops1")
    now = timezone.now()
    if name == "expired":
        # Offered a month ago and never signed.
        now = timezone.make_aware(datetime.combine(ctx.today - timedelta(days=30), time(10)))
    contract = contract_bundle_generate(
        client=client, terms=_terms(client, now, identity), by=ops, now=now
    )
    contract = contract_issue(contract=contract, by=ctx.person("ops2"), now=now)
    if name == "signed":
        _sign(contract)
    if name == "expired":
        contracts_daily(today=ctx.today)
    contract.refresh_from_db()
    return contract


def _wording_change(ctx: DemoContext) -> None:
    if ClauseVersion.objects.filter(reason=WORDING_REASON).exists():
        return
    current = ClauseVersion.objects.get(
        clause__code="margin_call", clause__language="en", status="approved"
    )
    clause_version_propose(
        clause=current.clause,
        title=current.title,
        body=current.body
        + "<p>6. Margin calls are also shown in the Firm's client application.</p>",
        maker=ctx.person("compliance1"),
        reason=WORDING_REASON,
    )


SCENARIOS = {
    "signed": [ContractStatus.ACTIVE, ContractStatus.SIGNED],
    "issued": [ContractStatus.ISSUED],
    "expired": [ContractStatus.EXPIRED],
}


def seed(ctx: DemoContext) -> None:
    _wording_change(ctx)
    taken: set[str] = set()
    for name, statuses in SCENARIOS.items():
        existing = Contract.objects.filter(status__in=statuses).order_by("pk").first()
        contract = existing or _scenario(ctx, name, taken)
        taken.add(contract.client.client_no)
        if name == "signed":
            document = contract.documents.get(kind="margin_contract")
            with document.pdf.open("rb") as handle:
                pages = len(PdfReader(handle).pages)
            ctx.log(f"contracts: {contract} signed and in force ({pages}-page contract PDF)")
        if name == "issued":
            user = contract.client.user
            ctx.notes.append(
                f"Contract {contract} awaits {user.username if user else contract.client}'s "
                f"signature: sign in to the portal as that client, open /contracts/{contract}/, "
                "ask for a code (it is printed by the console email backend) and sign."
            )
    for username in [c[2] for c in DEMO_CLIENTS]:
        if not any(cred[0] == username for cred in ctx.credentials):
            user = User.objects.filter(username=username).first()
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
            if device is not None:
                ctx.credentials.append((username, demo_password(username), device.config_url))
    ctx.log(f"contracts: {Contract.objects.count()} contracts; wording change awaiting approval")
