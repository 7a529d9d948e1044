"""Seed partners, screening lists and the demo clients, walking each through the services."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from accounts import services
from accounts.demo_clients import (
    ANSWERS,
    INSTITUTIONS,
    PEOPLE,
    DemoInstitution,
    DemoPerson,
    existing_institution,
    existing_person,
    upload_file,
)
from accounts.enums import DocumentType, PartnerKind
from accounts.models import Client, Partner
from accounts.services.suitability import add_months
from core.demo import DemoContext

LISTS = Path(__file__).resolve().parent / "fixtures" / "sanctions"
REJECTION = [
    "身份证反面照片模糊，请重新上传清晰的扫描件 / The back of the ID card is blurred: upload a "
    "clear scan",
    "资产证明已超过 3 个月，请上传近一个月的银行流水 / The proof of assets is older than three "
    "months: upload a bank statement from the last month",
]
STAGES = ["draft", "submitted", "rejected", "verified", "assessed", "eligible"]


def _partner(ctx: DemoContext) -> Partner:
    found = Partner.objects.filter(code="hz-wealth").first()
    return found or services.partner_create(
        code="hz-wealth",
        name="杭州财富通投资顾问有限公司",
        kind=PartnerKind.WEALTH_MANAGER,
        by=ctx.staff["ops1"],
    )


def _lists() -> None:
    services.sanctions_list_import(
        key="demo-sanctions",
        name="Demo sanctions list (synthetic)",
        fmt="csv",
        content=(LISTS / "demo-sanctions.csv").read_bytes(),
        by=None,
    )
    services.sanctions_list_import(
        key="demo-pep",
        name="Demo PEP list (synthetic, FollowTheMoney)",
        fmt="ftm",
        content=(LISTS / "demo-pep.ftm.jsonl").read_bytes(),
        by=None,
        is_pep=True,
    )


def _walk(client: Client, stage: str, ctx: DemoContext, level_key: str, on: Any) -> None:
    ops1, ops2 = ctx.staff["ops1"], ctx.staff["ops2"]
    reached = STAGES.index(stage)
    if reached < 1:
        return
    upload_file(client, ops1)
    services.kyc_submit(client=client, by=ops1)
    if stage == "rejected":
        services.kyc_reject(client=client, by=ops2, reasons=REJECTION)
        return
    if reached < 3:
        return
    services.kyc_verify(client=client, by=ops2, risk_rating="low", note="ID images match")
    if reached >= 4:
        services.suitability_assess(client=client, answers=ANSWERS[level_key], by=ops2, on=on)


def _person(spec: DemoPerson, ctx: DemoContext, partner: Partner) -> Client:
    client = existing_person(spec)
    if client is not None:
        return client
    details = services.PersonDetails(
        name=spec.name,
        id_number=spec.id_number,
        birth_date=spec.born,
        sex=spec.sex,
        mobile=f"1{39 - len(spec.name)}{spec.born:%m%d}{spec.area[-4:]}",
        address=f"{spec.city}示例路 {spec.born.day} 号",
        occupation=spec.occupation,
        annual_income=spec.income,
        financial_assets=spec.assets,
        investment_experience_years=spec.years,
    )
    client = services.client_register_person(
        details=details,
        by=ctx.staff["ops1"],
        partner=partner if spec.partner else None,
        on=ctx.today,
    )
    on = add_months(ctx.today, -spec.assessed_months_ago)
    _walk(client, spec.stage, ctx, spec.level, on)
    _extras(client, spec, ctx)
    return client


def _extras(client: Client, spec: DemoPerson, ctx: DemoContext) -> None:
    officer = ctx.staff["compliance1"]
    if spec.professional:
        evidence = list(client.documents.filter(doc_type=DocumentType.PROOF_OF_ASSETS))
        services.investor_classify(
            client=client,
            professional=True,
            financial_assets=Decimal(spec.assets),
            average_income=Decimal(spec.income),
            experience_years=spec.years,
            evidence=evidence,
            by=officer,
            explanation="资产证明与 15 年从业经历 / assets and 15 years in funds",
        )
    if spec.warning_for:
        services.special_warning_record(
            client=client,
            product_risk_level=spec.warning_for,
            by=officer,
            warning_text="您选择的产品风险等级（R3）高于您的风险承受能力（C2），可能造成本金损失。",
            client_statement="本人已阅读并理解上述警示，坚持购买该产品，自愿承担相应风险。",
        )


def _institution(spec: DemoInstitution, ctx: DemoContext) -> Client:
    client = existing_institution(spec)
    if client is not None:
        return client
    details = services.InstitutionDetails(
        name=spec.name,
        name_latin=spec.name_latin,
        uscc=spec.uscc,
        legal_rep_name=spec.legal_rep,
        legal_rep_id_number=DemoPerson(
            spec.legal_rep, "M", spec.legal_rep_born, spec.area, "draft"
        ).id_number,
        registered_address="深圳市前海深港合作区前湾一路 1 号"
        if spec.area.startswith("44")
        else "杭州市西湖区文三路 478 号",
        contact_mobile="13900008888",
        financial_assets="60000000",
        investment_experience_years=9,
    )
    client = services.client_register_institution(details=details, by=ctx.staff["ops1"])
    for name, born, area in spec.traders:
        trader = DemoPerson(name, "M", born, area, "draft")
        services.trader_add(
            client=client,
            name=name,
            id_number=trader.id_number,
            mobile="13700007777",
            by=ctx.staff["ops1"],
        )
    _walk(client, spec.stage, ctx, spec.level_key, ctx.today)
    return client


def seed_onboarding(ctx: DemoContext) -> None:
    partner = _partner(ctx)
    _lists()
    clients = [_person(spec, ctx, partner) for spec in PEOPLE]
    clients += [_institution(spec, ctx) for spec in INSTITUTIONS]
    by_state: dict[str, int] = {}
    for client in Client.objects.filter(pk__in=[c.pk for c in clients]):
        by_state[client.status] = by_state.get(client.status, 0) + 1
    ctx.log("clients: " + ", ".join(f"{n} {s}" for s, n in sorted(by_state.items())))
    ctx.notes.append(
        "Onboarding: ops2 or compliance1 can review the KYC queue (ops1 entered those clients "
        "and may not); compliance1 decides the open screening case for 周建平."
    )
