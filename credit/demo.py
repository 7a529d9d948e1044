"""Demo credit book: the starting rules, and applications in every state.

The rules (packages, policy, scorecard, regime) are loaded as approved history in force since
``ctx.rules_from``, before every demo day, so the trading, clearing and statements of past demo
days find the terms in force on them. Approved lines run from ``ctx.opening_day``.

Uses eligible clients from the accounts demo when there are any with a suitability level of C3
or more; otherwise registers its own (with KYC identity details, so the contracts stage can name
them) and walks them through the lifecycle. Every scenario is an idempotent submission (key
``demo-credit-<scenario>``), so a second run finds each application and only moves it on where
it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from accounts.enums import ClientStatus, InvestorType, Sex
from accounts.models import Client
from accounts.services import PersonDetails, client_register_person
from accounts.suitability import check_client_for_product
from accounts.validators import resident_id_check_char
from core import params
from core.demo import DemoContext
from core.exceptions import InvalidInput, ParameterMissing
from core.fsm import apply_transition
from core.models import IdempotencyRecord, ParameterSet
from core.params.services import parameter_seed_history
from credit import defaults
from credit.enums import ApplicationStatus
from credit.keys import POLICY_SET, REGIME_SET, SCORECARD_SET, package_set_key
from credit.models import CreditApplication, CreditLine, LeveragePackage
from credit.rules import package_terms
from credit.services import (
    credit_application_approve,
    credit_application_reject,
    credit_application_review,
    credit_application_submit,
    credit_applications_expire,
    leverage_package_define,
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
    Scenario("approved-4", "approved", "350000", "1500000", "300000", 4),
    Scenario("approved-5", "approved", "450000", "2000000", "380000", 6),
    Scenario("approved-6", "approved", "250000", "900000", "200000", 3),
]

# Own demo clients, used only when the accounts demo offers too few eligible ones:
# name, name in Latin letters, sex, born, area code, city, suitability level, tier, KYC rating.
M, F = Sex.MALE, Sex.FEMALE
OWN_CLIENTS = [
    ("赵明", "Zhao Ming", M, date(1981, 4, 11), "110101", "北京市东城区", "C4", "standard", "low"),
    ("钱芳", "Qian Fang", F, date(1979, 9, 3), "310104", "上海市徐汇区", "C5", "premium", "low"),
    ("孙磊", "Sun Lei", M, date(1975, 2, 27), "440304", "深圳市福田区", "C5", "premium", "low"),
    ("李娜", "Li Na", F, date(1988, 12, 8), "330102", "杭州市上城区", "C3", "", "medium"),
    ("周杰", "Zhou Jie", M, date(1983, 6, 19), "320102", "南京市玄武区", "C4", "standard", "low"),
    ("吴静", "Wu Jing", F, date(1986, 10, 30), "420102", "武汉市江岸区", "C4", "premium", "low"),
    ("郑强", "Zheng Qiang", M, date(1970, 1, 5), "370102", "济南市历下区", "C5", "premium", "low"),
    ("王丽", "Wang Li", F, date(1990, 3, 21), "510104", "成都市锦江区", "C3", "standard", "low"),
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


def _own_details(number: int) -> PersonDetails:
    name, latin, sex, born, area, city, *_rest = OWN_CLIENTS[number % len(OWN_CLIENTS)]
    born = born.replace(year=born.year - number // len(OWN_CLIENTS))
    first17 = f"{area}{born:%Y%m%d}{27 if sex == M else 28:03d}"  # 17th digit odd for men
    return PersonDetails(
        name=name,
        name_latin=latin,
        id_number=first17 + resident_id_check_char(first17),
        birth_date=born,
        sex=sex,
        mobile=f"139{born:%m%d}{number:04d}",
        address=f"{city}演示路 {number + 1} 号",
        occupation="公司职员",
        annual_income="400000",
        financial_assets="2500000",
        investment_experience_years=5,
    )


def _own_client(ctx: DemoContext, number: int) -> Client:
    """Registered once (idempotent key), then walked to eligible with its demo profile."""
    client = client_register_person(
        details=_own_details(number),
        by=ctx.staff["ops1"],
        on=ctx.today,
        idempotency_key=f"demo-credit-client-{number}",
    )
    if client.status != ClientStatus.DRAFT:
        return client
    *_person, level, tier, rating = OWN_CLIENTS[number % len(OWN_CLIENTS)]
    Client.objects.filter(pk=client.pk).update(
        suitability_level=level, risk_rating=rating, tier=tier
    )
    client.refresh_from_db()
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


def _rules_history(ctx: DemoContext) -> list[str]:
    """The firm's starting rules, in force since ``ctx.rules_from`` (before every demo day).

    Rule changes proposed in the console can only take effect from today on, so the demo
    loads its book's past the way published history is loaded: as approved seed versions.
    Reruns change nothing (a set with terms on that day is left alone).
    """
    existing = set(LeveragePackage.objects.values_list("code", flat=True))
    for order, spec in enumerate(defaults.PACKAGES):
        if spec["code"] in existing:
            continue
        leverage_package_define(
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            display_order=(order + 1) * 10,
        )
    sets = [
        (POLICY_SET, defaults.POLICY),
        (SCORECARD_SET, defaults.SCORECARD),
        (REGIME_SET, defaults.REGIME),
        *[(package_set_key(p["code"]), p["values"]) for p in defaults.PACKAGES],
    ]
    seeded = []
    for key, values in sets:
        try:
            params.snapshot(key, ctx.rules_from)
            continue
        except ParameterMissing:
            pass
        parameter_seed_history(
            parameter_set=ParameterSet.objects.get(key=key),
            versions=[(ctx.rules_from, values, "demo: the firm's credit rules since it opened")],
        )
        seeded.append(key)
    return seeded


def _lines_from_opening_day(ctx: DemoContext) -> None:
    """The demo's approved lines run from the opening day (before the cleared demo days), as if
    approved then: the book's trades, financing and clearing fall within their terms. The
    term keeps its length (a contract may not run longer than the signing rules allow)."""
    for line in CreditLine.objects.filter(valid_from__gt=ctx.opening_day):
        shift = line.valid_from - ctx.opening_day
        CreditLine.objects.filter(pk=line.pk).update(
            valid_from=ctx.opening_day, valid_to=line.valid_to - shift
        )


def seed(ctx: DemoContext) -> None:
    seeded = _rules_history(ctx)
    ctx.log(f"credit: rules in force since {ctx.rules_from}: {seeded or 'already seeded'}")
    for scenario in SCENARIOS:
        _advance(ctx, scenario, _submit(ctx, scenario))
    _lines_from_opening_day(ctx)
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
