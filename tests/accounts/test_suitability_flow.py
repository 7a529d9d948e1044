"""Questionnaires as versioned data, professional status, special warnings, eligibility."""

from datetime import date, timedelta

import pytest
import time_machine

from accounts.enums import ClientStatus, DocumentType, InvestorType
from accounts.models import (
    InvestorClassification,
    Question,
    SuitabilityAnswer,
    SuitabilityAssessment,
    SuitabilityWarning,
)
from accounts.services import (
    Upload,
    investor_classify,
    special_warning_record,
    suitability_assess,
)
from accounts.services.suitability import add_months, questionnaire_in_use
from accounts.suitability import Fit, check_client_for_product
from core.exceptions import IllegalTransition, InvalidInput
from tests.accounts.factories import PDF

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)

# Answers per level on the seeded person questionnaire (scores in comments).
C2_ANSWERS = {1: "B", 2: "B", 3: "A", 4: "B", 5: "B", 6: "B", 7: "B", 8: "B", 9: "B", 10: "B"}  # 18
C3_ANSWERS = {1: "A", 2: "B", 3: "B", 4: "C", 5: "B", 6: "C", 7: "B", 8: "B", 9: "C", 10: "C"}  # 26
C5_ANSWERS = {1: "A", 2: "D", 3: "D", 4: "D", 5: "D", 6: "D", 7: "D", 8: "D", 9: "D", 10: "D"}  # 41
LOWEST = {**C5_ANSWERS, 9: "A"}  # "cannot bear any loss"


@pytest.fixture
def c2_client(verified, ops2):
    suitability_assess(client=verified, answers=C2_ANSWERS, by=ops2, on=TODAY)
    verified.refresh_from_db()
    return verified


def test_answers_are_scored_on_the_version_in_use_and_kept_with_it(verified, ops2):
    assessment = suitability_assess(client=verified, answers=C3_ANSWERS, by=ops2, on=TODAY)
    assert (assessment.total_score, assessment.level, assessment.review_due) == (
        26,
        "C3",
        date(2028, 11, 27),
    )
    assert assessment.questionnaire == questionnaire_in_use(kind="person", on=TODAY)
    answers = SuitabilityAnswer.objects.filter(assessment=assessment)
    assert [(a.question.number, a.option.label) for a in answers] == sorted(C3_ANSWERS.items())
    verified.refresh_from_db()
    # Screened clean at submission: suitability moves the client straight on to eligible.
    assert (verified.status, verified.suitability_level, verified.tier) == (
        ClientStatus.ELIGIBLE,
        "C3",
        "standard",
    )


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({**C3_ANSWERS, 4: ""}, "q4", "q4: question 4 is not answered"),
        ({**C3_ANSWERS, 5: "E"}, "q5", "q5: 'E' is not an answer to question 5"),
        ({**C3_ANSWERS, 11: "A"}, "q11", "answers: question 11 is not in"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_kept(verified, ops2, answers, field, message):
    with pytest.raises(InvalidInput) as error:
        suitability_assess(client=verified, answers=answers, by=ops2, on=TODAY)
    assert error.value.field == field and message in str(error.value)
    verified.refresh_from_db()
    assert (verified.status, verified.suitability_level) == (ClientStatus.KYC_VERIFIED, "")
    assert not SuitabilityAssessment.objects.exists()
    assert not SuitabilityAnswer.objects.exists()


def test_cannot_bear_any_loss_makes_the_investor_c1_whatever_the_score(verified, ops2):
    assessment = suitability_assess(client=verified, answers=LOWEST, by=ops2, on=TODAY)
    assert (assessment.total_score, assessment.level, assessment.lowest_category) == (
        36,
        "C1",
        True,
    )


def test_an_answered_version_is_frozen(c2_client):
    question = Question.objects.get(questionnaire__code="person-risk", number=1)
    question.text = "改过的问题"
    with pytest.raises(IllegalTransition, match="has been answered and is frozen"):
        question.save()


def test_c2_vs_r3_needs_the_recorded_warning(c2_client, compliance):
    with pytest.raises(InvalidInput, match="a recorded special warning"):
        check_client_for_product(client=c2_client, product_risk_level="R3", on=TODAY)
    warning = special_warning_record(
        client=c2_client,
        product_risk_level="R3",
        warning_text="该产品风险等级 R3 高于您的风险承受能力 C2。",
        client_statement="本人已知悉风险，坚持购买。",
        by=compliance,
        on=TODAY,
    )
    assert warning.valid_until == TODAY + timedelta(days=180)
    decision = check_client_for_product(client=c2_client, product_risk_level="R3", on=TODAY)
    assert (decision.fit, decision.warning) == (Fit.NEEDS_WARNING, warning)


def test_c1_is_refused_a_warning_outright(verified, ops2, compliance):
    suitability_assess(client=verified, answers=LOWEST, by=ops2, on=TODAY)
    verified.refresh_from_db()
    with pytest.raises(InvalidInput) as error:
        special_warning_record(
            client=verified,
            product_risk_level="R2",
            warning_text="警示",
            client_statement="坚持",
            by=compliance,
            on=TODAY,
        )
    assert "C1 (lowest category): a higher-risk product may not be sold" in str(error.value)
    assert not SuitabilityWarning.objects.exists()
    with pytest.raises(InvalidInput, match="lowest category"):
        check_client_for_product(client=verified, product_risk_level="R2", on=TODAY)


def test_an_overdue_assessment_refuses_every_product(c2_client):
    due = add_months(TODAY, 24)
    assert check_client_for_product(client=c2_client, product_risk_level="R1", on=due).fit
    with pytest.raises(InvalidInput) as error:
        check_client_for_product(
            client=c2_client, product_risk_level="R1", on=due + timedelta(days=1)
        )
    assert f"fell due for re-assessment on {due}" in str(error.value)


def test_reassessment_returns_an_eligible_client_through_assessed(c2_client, ops2):
    with time_machine.travel(date(2028, 11, 20)):
        suitability_assess(client=c2_client, answers=C5_ANSWERS, by=ops2)
    c2_client.refresh_from_db()
    assert (c2_client.status, c2_client.suitability_level) == (ClientStatus.ELIGIBLE, "C5")
    assert c2_client.suitability_assessments.count() == 2


def _evidence(client, ops):
    from accounts.services import document_upload

    return [
        document_upload(
            client=client,
            doc_type=DocumentType.PROOF_OF_ASSETS,
            upload=Upload("statement.pdf", PDF + b"assets"),
            by=ops,
        )
    ]


def test_professional_status_needs_evidence_and_the_csrc_thresholds(
    ops, submitted, ops2, compliance
):
    evidence = _evidence(submitted, ops)
    with pytest.raises(InvalidInput) as error:
        investor_classify(
            client=submitted,
            professional=True,
            financial_assets="4000000",
            average_income="200000",
            experience_years=3,
            evidence=evidence,
            by=compliance,
            on=TODAY,
        )
    assert "professional needs financial assets of CNY 5,000,000 or an average income of CNY " in (
        str(error.value)
    )
    assert not InvestorClassification.objects.exists()
    converted = investor_classify(
        client=submitted,
        professional=True,
        financial_assets="4000000",
        average_income="200000",
        experience_years=3,
        evidence=evidence,
        conversion=True,
        by=compliance,
        on=TODAY,
    )
    assert (converted.investor_type, converted.basis) == (InvestorType.PROFESSIONAL, "converted")
    submitted.refresh_from_db()
    assert submitted.investor_type == InvestorType.PROFESSIONAL


def test_professional_without_evidence_is_refused(submitted, compliance):
    with pytest.raises(InvalidInput, match="evidence: attach the client's own proof"):
        investor_classify(
            client=submitted,
            professional=True,
            financial_assets="6000000",
            average_income="0",
            experience_years=3,
            evidence=[],
            by=compliance,
        )
