"""Suitability: score a questionnaire, classify professional investors, record special warnings,
and move a client on to eligible when KYC, suitability and screening all clear.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts import rules
from accounts.enums import (
    ClientStatus,
    InvestorType,
    KycDecision,
    ProductRiskLevel,
    ProfessionalBasis,
    SuitabilityLevel,
)
from accounts.lock_objects import client_for_update
from accounts.models import (
    Client,
    InvestorClassification,
    KycDocument,
    Questionnaire,
    SuitabilityAnswer,
    SuitabilityAssessment,
    SuitabilityWarning,
    User,
)
from accounts.services.common import once, require_perm, require_text, today
from accounts.services.screening import blocking_cases
from accounts.services.tiering import client_tier_refresh
from core import audit
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput
from core.fsm import apply_transition
from core.money import to_decimal

S = ClientStatus
ASSESSABLE = {S.KYC_VERIFIED, S.SUITABILITY_ASSESSED, S.ELIGIBLE}
# Later stages keep their state when the questionnaire is answered again.
REASSESS_IN_PLACE = {S.CREDIT_APPROVED, S.CONTRACT_SIGNED, S.ACTIVE, S.MARGIN_CALL, S.LIQUIDATING}


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def questionnaire_in_use(*, kind: str, on: date) -> Questionnaire:
    found = (
        Questionnaire.objects.filter(client_kind=kind, published_on__lte=on)
        .exclude(retired_on__lt=on)
        .order_by("-published_on", "-version")
        .first()
    )
    if found is None:
        raise InvalidInput(f"no suitability questionnaire for {kind} clients is in use on {on}")
    return found


def _score(questionnaire: Questionnaire, answers: dict[int, str]) -> tuple[list[Any], int, bool]:
    questions = {q.number: q for q in questionnaire.questions.prefetch_related("options")}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise InvalidInput(
            f"answers: question {unknown[0]} is not in {questionnaire}", field=f"q{unknown[0]}"
        )
    chosen = []
    for number, question in sorted(questions.items()):
        label = (answers.get(number) or "").strip().upper()
        if not label:
            raise InvalidInput(f"q{number}: question {number} is not answered", field=f"q{number}")
        option = next((o for o in question.options.all() if o.label == label), None)
        if option is None:
            raise InvalidInput(
                f"q{number}: {label!r} is not an answer to question {number}", field=f"q{number}"
            )
        chosen.append((question, option))
    total = sum(option.score for _, option in chosen)
    lowest = any(option.forces_lowest for _, option in chosen)
    return chosen, total, lowest


def _level(questionnaire: Questionnaire, total: int, lowest: bool) -> str:
    if lowest:
        return SuitabilityLevel.C1
    band = questionnaire.bands.filter(min_score__lte=total, max_score__gte=total).first()
    if band is None:
        raise InvalidInput(f"{questionnaire} has no score band for a total of {total}")
    return band.level


def _move_on_assessment(client: Client, by: User, level: str) -> None:
    if client.status in ASSESSABLE:
        apply_transition(client, "assess_suitability", by=by, reason=f"questionnaire: {level}")
    elif client.status not in REASSESS_IN_PLACE:
        raise IllegalTransition(
            f"cannot assess suitability of client {client} while it is "
            f"{client.get_status_display()}; KYC must be verified first"
        )


@transaction.atomic
def suitability_assess(
    *,
    client: Client,
    answers: dict[int, str],
    by: User,
    on: date | None = None,
    questionnaire: Questionnaire | None = None,
    idempotency_key: str | None = None,
) -> SuitabilityAssessment:
    """Score answers (question number → option label) on the version in use; keep them all."""
    require_perm(by, "accounts.add_suitabilityassessment", "record questionnaires")
    day = on or today()
    return once(
        scope="accounts.suitability_assess",
        key=idempotency_key,
        payload={"client": client.pk, "answers": answers, "on": day},
        make=lambda: _assess(client, answers, by, day, questionnaire),
        model=SuitabilityAssessment,
        actor=by,
    )


def _assess(
    client: Client,
    answers: dict[int, str],
    by: User,
    day: date,
    questionnaire: Questionnaire | None,
) -> SuitabilityAssessment:
    locked = client_for_update(client)
    version = questionnaire or questionnaire_in_use(kind=locked.kind, on=day)
    if version.client_kind != locked.kind:
        raise InvalidInput(f"questionnaire: {version} is not for {locked.kind} clients")
    chosen, total, lowest = _score(version, answers)
    level = _level(version, total, lowest)
    _move_on_assessment(locked, by, level)
    snap = rules.suitability(day)
    assessment = SuitabilityAssessment.objects.create(
        client=locked,
        questionnaire=version,
        total_score=total,
        level=level,
        lowest_category=lowest,
        assessed_on=day,
        review_due=add_months(day, snap["reassessment_months"]),
        recorded_by=by,
        parameters_version=snap.version_id,
    )
    SuitabilityAnswer.objects.bulk_create(
        SuitabilityAnswer(assessment=assessment, question=q, option=o, score=o.score)
        for q, o in chosen
    )
    locked.suitability_level = level
    locked.suitability_review_due = assessment.review_due
    locked.save()
    client_tier_refresh(client=locked, on=day)
    client_try_eligible(client=locked, by=by, on=day)
    return assessment


def latest_assessment(client: Client) -> SuitabilityAssessment | None:
    return client.suitability_assessments.order_by("-assessed_on", "-id").first()


def _meets(assets: Decimal, income: Decimal, years: int, snap: Any, prefix: str) -> bool:
    wealthy = assets >= snap[f"{prefix}_assets_min"] or income >= snap[f"{prefix}_income_min"]
    return wealthy and years >= snap[f"{prefix}_experience_years"]


def _basis(assets: Decimal, income: Decimal, years: int, conversion: bool, snap: Any) -> str:
    if _meets(assets, income, years, snap, "professional"):
        return ProfessionalBasis.QUALIFIES
    if conversion and _meets(assets, income, years, snap, "conversion"):
        return ProfessionalBasis.CONVERTED
    route = (
        f"; on application: CNY {snap['conversion_assets_min']:,} or CNY "
        f"{snap['conversion_income_min']:,} and {snap['conversion_experience_years']} year(s)"
        if conversion
        else ""
    )
    raise InvalidInput(
        f"investor_type: professional needs financial assets of CNY "
        f"{snap['professional_assets_min']:,} or an average income of CNY "
        f"{snap['professional_income_min']:,} over {snap['professional_income_years']} years, "
        f"plus {snap['professional_experience_years']} years' experience (CSRC Order 130)"
        f"{route}; the evidence shows CNY {assets:,}, CNY {income:,} and {years} year(s)",
        field="investor_type",
    )


@transaction.atomic
def investor_classify(
    *,
    client: Client,
    professional: bool,
    financial_assets: Any,
    average_income: Any,
    experience_years: int,
    evidence: list[KycDocument],
    by: User,
    conversion: bool = False,
    explanation: str = "",
    on: date | None = None,
) -> InvestorClassification:
    """Professional (on evidence, against the thresholds in force) or ordinary."""
    require_perm(by, "accounts.add_investorclassification", "classify investors")
    day = on or today()
    locked = client_for_update(client)
    assets, income = to_decimal(financial_assets), to_decimal(average_income)
    snap = rules.suitability(day)
    basis = ""
    if professional:
        if not evidence or any(doc.client_id != locked.pk for doc in evidence):
            raise InvalidInput(
                "evidence: attach the client's own proof of assets, income or experience",
                field="evidence",
            )
        basis = _basis(assets, income, experience_years, conversion, snap)
    record = InvestorClassification.objects.create(
        client=locked,
        investor_type=InvestorType.PROFESSIONAL if professional else InvestorType.ORDINARY,
        basis=basis,
        financial_assets=assets,
        average_income=income,
        experience_years=experience_years,
        explanation=explanation.strip() or str(ProfessionalBasis(basis).label if basis else ""),
        decided_on=day,
        decided_by=by,
        parameters_version=snap.version_id,
    )
    record.evidence.set(evidence)
    locked.investor_type = record.investor_type
    locked.save()
    audit.record(
        action=AuditAction.APPROVAL,
        actor=by,
        obj=locked,
        details={"investor_type": record.investor_type, "basis": basis},
    )
    return record


def _check_warning_allowed(client: Client, risk: str, on: date) -> None:
    assessment = latest_assessment(client)
    if assessment is None or not client.suitability_level:
        raise InvalidInput("client: assess suitability before recording a special warning")
    if assessment.review_due < on:
        raise InvalidInput(
            f"client: the suitability assessment fell due on {assessment.review_due}; "
            "re-assess before recording a warning",
            field="suitability_level",
        )
    level = client.suitability_level
    if level == SuitabilityLevel.C1 or assessment.lowest_category:
        raise InvalidInput(
            f"client {client} is C1 (lowest category): a higher-risk product may not be sold "
            "even with a special warning (CSRC Order 130)",
            field="risk_level",
        )
    if risk not in ProductRiskLevel.values:
        raise InvalidInput(f"risk_level: {risk!r} is not R1–R5", field="risk_level")
    if int(risk[1]) <= int(level[1]):
        raise InvalidInput(
            f"risk_level: a {level} client may take {risk} without a warning", field="risk_level"
        )


@transaction.atomic
def special_warning_record(
    *,
    client: Client,
    product_risk_level: str,
    warning_text: str,
    client_statement: str,
    by: User,
    on: date | None = None,
) -> SuitabilityWarning:
    """The client insists on a product above their level: record the warning and their words."""
    require_perm(by, "accounts.add_suitabilitywarning", "record special warnings")
    day = on or today()
    locked = client_for_update(client)
    _check_warning_allowed(locked, product_risk_level, day)
    warning = SuitabilityWarning.objects.create(
        client=locked,
        suitability_level=locked.suitability_level,
        product_risk_level=product_risk_level,
        warning_text=require_text(warning_text, "warning_text", "the warning shown"),
        client_statement=require_text(
            client_statement, "client_statement", "the client's written confirmation"
        ),
        acknowledged_on=day,
        valid_until=day + timedelta(days=rules.suitability(day)["special_warning_valid_days"]),
        recorded_by=by,
    )
    audit.record(
        action=AuditAction.OVERRIDE,
        actor=by,
        obj=locked,
        details={"special_warning": f"{locked.suitability_level}->{product_risk_level}"},
    )
    return warning


def eligibility_problems(client: Client, on: date) -> list[str]:
    """What still stands between ``client`` and ELIGIBLE (empty when nothing does)."""
    problems = []
    if not client.kyc_reviews.filter(decision=KycDecision.VERIFIED).exists():
        problems.append("KYC is not verified")
    assessment = latest_assessment(client)
    if assessment is None:
        problems.append("no suitability assessment")
    elif assessment.review_due < on:
        problems.append(f"the suitability assessment fell due on {assessment.review_due}")
    if client.last_screened_at is None:
        problems.append("the client has not been screened")
    for case in blocking_cases(client):
        problems.append(f"screening case #{case.pk} ({case.entry.name}) is {case.status}")
    return problems


@transaction.atomic
def client_mark_eligible(*, client: Client, by: User, on: date | None = None) -> Client:
    """KYC verified, suitability current, screening clear: the firm may serve the client."""
    day = on or today()
    locked = client_for_update(client)
    problems = eligibility_problems(locked, day)
    if problems:
        raise IllegalTransition(f"client {locked} cannot become eligible: {'; '.join(problems)}")
    apply_transition(locked, "mark_eligible", by=by, reason="KYC, suitability and screening clear")
    locked.save()
    client_tier_refresh(client=locked, on=day)
    return locked


def client_try_eligible(*, client: Client, by: User, on: date | None = None) -> bool:
    """Move a client waiting at SUITABILITY_ASSESSED on, when nothing blocks it."""
    day = on or today()
    fresh = Client.objects.get(pk=client.pk)
    if fresh.status != S.SUITABILITY_ASSESSED or eligibility_problems(fresh, day):
        return False
    client_mark_eligible(client=fresh, by=by, on=day)
    return True
