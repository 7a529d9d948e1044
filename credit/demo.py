"""Demo credit book: the starting rules, and applications in every state.

Uses eligible clients from the accounts demo when there are any with a suitability level of C3
or more; otherwise creates its own (client numbers ``DC0001``…) and walks them through the
lifecycle. Every scenario is an idempotent submission (key ``demo-credit-<scenario>``), so a
second run finds each application and only moves it on where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from accounts.enums import ClientKind, ClientStatus, InvestorType
from accounts.models import Client
from accounts.suitability import check_client_for_product
from core.demo import DemoContext
from core.exceptions import InvalidInput
from core.fsm import apply_transition
from core.models import IdempotencyRecord
from credit.enums import ApplicationStatus
from credit.models import CreditApplication
from credit.rules import package_terms
from credit.services import (
    credit_application_approve,
    credit_application_reject,
    credit_application_review,
    credit_application_submit,
    credit_applications_expire,
    credit_defaults_install,
)

SCOPE = "credit.application.submit"


@dataclass(frozen=True)
class Scenario:
    key: str
    target: str
    amount: str
    assets: str
    income: str
    years: int
    received_days_ago: int = 0
    figures: dict[str, Any] = field(default_factory=dict)


SCENARIOS = [
    Scenario("submitted", "submitted", "300000", "900000", "250000", 2),
    Scenario("under-review", "under_review", "600000", "1800000", "350000", 4),
    Scenario("awaiting-second", "one_approval", "1500000", "4000000", "600000", 6),
    Scenario("rejected", "rejected", "2000000", "300000", "80000", 0),
    Scenario("expired", "expired", "400000", "1200000", "200000", 3, received_days_ago=40),
    Scenario("approved-1", "approved", "500000", "2500000", "400000", 5),
    Scenario("approved-2", "approved", "800000", "3200000", "450000", 8),
    Scenario("approved-3", "approved", "200000", "700000", "150000", 2),
]

# Own demo clients, used only when the accounts demo offers too few eligible ones.
OWN_CLIENTS = [
    ("DC0001", "赵明 Zhao Ming", "C4", "standard", "low"),
    ("DC0002", "钱芳 Qian Fang", "C5", "premium", "low"),
    ("DC0003", "孙磊 Sun Lei", "C5", "premium", "low"),
    ("DC0004", "李娜 Li Na", "C3", "", "medium"),
    ("DC0005", "周杰 Zhou Jie", "C4", "standard", "low"),
    ("DC0006", "吴静 Wu Jing", "C4", "premium", "low"),
    ("DC0007", "郑强 Zheng Qiang", "C5", "institutional", "low"),
    ("DC0008", "王丽 Wang Li", "C3", "standard", "low"),
]

PACKAGES_BY_LEVEL = {
    "C3": ["conservative"],
    "C4": ["conservative", "balanced"],
    "C5": ["balanced", "aggressive"],
}


def _packages_for(client: Client) -> list[str]:
    if client.investor_type == InvestorType.PROFESSIONAL:
        return ["balanced", "aggressive"]
    return PACKAGES_BY_LEVEL.get(client.suitability_level, [])


def _own_client(ctx: DemoContext, number: int) -> Client:
    client_no, name, level, tier, rating = OWN_CLIENTS[number % len(OWN_CLIENTS)]
    client_no = client_no if number < len(OWN_CLIENTS) else f"DC{number + 1:04d}"
    client = Client.objects.filter(client_no=client_no).first()
    if client is not None:
        return client
    client = Client.objects.create(
        client_no=client_no,
        kind=ClientKind.PERSON,
        display_name=name,
        suitability_level=level,
        risk_rating=rating,
        tier=tier,
    )
    steps = [
        ("submit_kyc", ctx.staff["ops1"]),
        ("verify_kyc", ctx.staff["ops2"]),
        ("assess_suitability", ctx.staff["compliance1"]),
        ("mark_eligible", ctx.staff["compliance2"]),
    ]
    for step, person in steps:
        apply_transition(client, step, by=person, reason="demo onboarding")
        client.save()
    return client


def _may_be_offered(client: Client, ctx: DemoContext) -> bool:
    """Skip demo clients the suitability rules would refuse (e.g. an overdue questionnaire)."""
    try:
        for code in _packages_for(client):
            level = package_terms(code, ctx.today).risk_level
            check_client_for_product(client=client, product_risk_level=level, on=ctx.today)
    except InvalidInput:
        return False
    return True


def _free_client(ctx: DemoContext) -> Client:
    """An eligible client with no credit history who may take at least one package."""
    candidates = Client.objects.filter(
        status=ClientStatus.ELIGIBLE, credit_applications__isnull=True
    ).exclude(suitability_level="")
    for client in candidates.order_by("pk"):
        if _packages_for(client) and _may_be_offered(client, ctx):
            return client
    number = 0
    while True:
        client = _own_client(ctx, number)
        if client.status == ClientStatus.ELIGIBLE and not client.credit_applications.exists():
            return client
        number += 1


def _existing(scenario: Scenario) -> CreditApplication | None:
    record = IdempotencyRecord.objects.filter(scope=SCOPE, key=f"demo-{scenario.key}").first()
    if record is None or not record.response:
        return None
    return CreditApplication.objects.filter(pk=record.response["application"]).first()


def _submit(ctx: DemoContext, scenario: Scenario) -> CreditApplication:
    found = _existing(scenario)
    if found is not None:
        return found
    client = _free_client(ctx)
    return credit_application_submit(
        client=client,
        requested_amount=Decimal(scenario.amount),
        packages=_packages_for(client),
        requested_by=ctx.staff["ops1"],
        financial_assets=Decimal(scenario.assets),
        annual_income=Decimal(scenario.income),
        investing_experience_years=scenario.years,
        received_on=ctx.today - timedelta(days=scenario.received_days_ago),
        purpose="demo: margin financing for a long-term A-share portfolio",
        idempotency_key=f"demo-{scenario.key}",
    )


def _advance(ctx: DemoContext, scenario: Scenario, application: CreditApplication) -> None:
    if scenario.target in {"submitted", "expired"}:
        return
    if application.status == ApplicationStatus.SUBMITTED:
        credit_application_review(application=application, by=ctx.staff["ops2"])
        application.refresh_from_db()
    if application.status != ApplicationStatus.UNDER_REVIEW:
        return
    if scenario.target == "rejected":
        credit_application_reject(
            application=application,
            approver=ctx.staff["risk2"],
            note="declared assets do not support the amount requested",
        )
    elif scenario.target in {"approved", "one_approval"}:
        if not application.decisions.filter(approver=ctx.staff["risk1"]).exists():
            credit_application_approve(
                application=application, approver=ctx.staff["risk1"], note="demo approval"
            )


def seed(ctx: DemoContext) -> None:
    installed = credit_defaults_install(
        maker=ctx.staff["risk1"],
        checker=ctx.staff["risk2"],
        effective_from=ctx.today,
        reason="demo: the firm's starting credit rules",
    )
    ctx.log(f"credit: rules installed {installed or 'already in force'}")
    for scenario in SCENARIOS:
        _advance(ctx, scenario, _submit(ctx, scenario))
    expired = credit_applications_expire(today=ctx.today)
    counts = {
        status: CreditApplication.objects.filter(status=status).count()
        for status in ApplicationStatus.values
    }
    ctx.log(f"credit: applications {counts}; expired now {len(expired)}")
    waiting = _existing(SCENARIOS[2])
    if waiting is not None and waiting.status == ApplicationStatus.UNDER_REVIEW:
        ctx.notes.append(
            f"Credit: application #{waiting.pk} (CNY {waiting.requested_amount}) has one approval "
            "from risk1 and needs a second, different approver — sign in as risk2 and approve it "
            "under Credit → Credit applications."
        )
