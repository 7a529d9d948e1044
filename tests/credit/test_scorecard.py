"""The scorecard is data; every evaluation can be reproduced exactly."""

import copy
from datetime import timedelta
from decimal import Decimal

import pytest

from core.exceptions import IllegalTransition, InvalidInput
from core.models import ParameterSet, ParameterVersion
from core.params.services import parameter_change_approve, parameter_change_propose
from credit import defaults
from credit.models import CreditEvaluation
from credit.scorecard import ScorecardInputs, score, validate_scorecard
from credit.selectors import evaluation_reproduce
from credit.services import credit_application_review
from tests.credit.conftest import TODAY
from tests.credit.factories import EligibleClientFactory

pytestmark = pytest.mark.django_db


def inputs(**changes):
    base = {
        "financial_assets": Decimal("2500000.00"),
        "annual_income": Decimal("400000.00"),
        "investing_experience_years": 3,
        "suitability_level": "C4",
        "risk_rating": "low",
        "tier": "standard",
        "past_margin_calls": 0,
    }
    return ScorecardInputs(**{**base, **changes})


def test_hand_computed_score_grade_and_limit():
    result = score(defaults.SCORECARD, inputs())
    # 16 (assets < 3M) + 10 (income < 500k) + 8 (3 years) + 12 (C4) + 10 (low) + 4 + 8
    assert result.points == {
        "assets": 16,
        "income": 10,
        "experience": 8,
        "suitability": 12,
        "kyc_risk": 10,
        "tier": 4,
        "margin_calls": 8,
    }
    assert (result.score, result.grade) == (68, "B")
    assert result.reason_codes == ("ASSETS_BELOW_3M",)
    # 2,500,000 × 0.70 (B) × 1.00 (standard) = 1,750,000, under the B cap of 10,000,000
    assert result.limit == Decimal("1750000.00")


def test_tier_raises_points_and_the_limit_rounded_down():
    result = score(defaults.SCORECARD, inputs(financial_assets=Decimal("2345678"), tier="premium"))
    assert (result.score, result.grade) == (72, "B")
    # 2,345,678 × 0.70 × 1.20 = 1,970,369.52 → rounded down to 10,000s
    assert result.limit == Decimal("1970000.00")


def test_the_grade_cap_binds_for_the_very_rich():
    result = score(defaults.SCORECARD, inputs(financial_assets=Decimal("80000000")))
    assert result.grade == "A"  # 30 + 10 + 8 + 12 + 10 + 4 + 8 = 82
    assert result.limit == Decimal("20000000.00")


def test_a_weak_profile_gets_no_credit_and_says_why():
    result = score(
        defaults.SCORECARD,
        inputs(
            financial_assets=Decimal("100000"),
            annual_income=Decimal("50000"),
            investing_experience_years=0,
            suitability_level="C1",
            risk_rating="high",
            tier="",
            past_margin_calls=5,
        ),
    )
    assert (result.score, result.grade, result.limit) == (2, "E", Decimal("0.00"))
    assert result.reason_codes == (
        "ASSETS_BELOW_500K",
        "INCOME_BELOW_100K",
        "EXPERIENCE_UNDER_1Y",
        "SUITABILITY_C1",
        "KYC_RISK_HIGH",
        "TIER_UNSET",
        "FREQUENT_MARGIN_CALLS",
        "LIMIT_BELOW_MINIMUM",
    )


def test_an_evaluation_is_stored_with_everything_and_reproduces(
    reviewed, risk_officer, second_risk_officer
):
    client = EligibleClientFactory.create(tier="premium")
    application = reviewed(client, financial_assets=Decimal("2345678.00"))
    evaluation = CreditEvaluation.objects.get(application=application)
    assert evaluation.inputs == {
        "financial_assets": "2345678.00",
        "annual_income": "400000.00",
        "investing_experience_years": 3,
        "suitability_level": "C4",
        "risk_rating": "low",
        "tier": "premium",
        "past_margin_calls": 0,
    }
    assert (evaluation.score, evaluation.grade) == (72, "B")
    assert evaluation.computed_limit == Decimal("1970000.00")
    assert evaluation.scorecard_version.parameter_set.key == "credit-scorecard"
    assert len(evaluation.scorecard_digest) == 64

    # Later: the client's profile changes and a stricter scorecard is approved.
    client.tier = "standard"
    client.save()
    stricter = {**defaults.SCORECARD, "asset_multiple": {**defaults.SCORECARD["asset_multiple"]}}
    stricter["asset_multiple"]["B"] = "0.40"
    version = parameter_change_propose(
        parameter_set=ParameterSet.objects.get(key="credit-scorecard"),
        effective_from=TODAY + timedelta(days=1),
        values=stricter,
        maker=risk_officer,
        reason="tighter B grade",
    )
    parameter_change_approve(version=version, checker=second_risk_officer)

    again = evaluation_reproduce(evaluation)
    assert again.points == evaluation.points
    assert (again.score, again.grade, again.limit) == (72, "B", Decimal("1970000.00"))
    assert list(again.reason_codes) == evaluation.reason_codes


def test_reviewing_again_is_refused_and_adds_no_evaluation(reviewed, eligible_client, ops):
    application = reviewed(eligible_client)
    with pytest.raises(IllegalTransition, match="cannot start review credit application"):
        credit_application_review(application=application, by=ops)
    assert CreditEvaluation.objects.filter(application=application).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s["factors"][0]["bins"].insert(1, {"below": "100000", "points": 1}),
            "factor assets: bins must rise",
        ),
        (lambda s: s["grades"][-1].update(min_score=5), "the lowest grade must cover every score"),
        (lambda s: s["asset_multiple"].update(A=1.0), "asset_multiple A must be written as text"),
        (lambda s: s["factors"][1].update(input="salary"), "factor income: unknown input 'salary'"),
        (lambda s: s["tier_multiplier"].pop("*"), r"tier_multiplier needs an entry for each of \*"),
    ],
)
def test_a_malformed_scorecard_is_refused(change, message):
    values = copy.deepcopy(defaults.SCORECARD)
    change(values)
    with pytest.raises(InvalidInput, match=message):
        validate_scorecard(values)


def test_a_malformed_scorecard_proposal_saves_nothing(credit_rules, risk_officer):
    values = copy.deepcopy(defaults.SCORECARD)
    values["grades"] = list(reversed(values["grades"]))
    before = ParameterVersion.objects.count()
    with pytest.raises(InvalidInput, match="grade cut-offs must fall"):
        parameter_change_propose(
            parameter_set=ParameterSet.objects.get(key="credit-scorecard"),
            effective_from=TODAY + timedelta(days=1),
            values=values,
            maker=risk_officer,
            reason="test",
        )
    assert ParameterVersion.objects.count() == before
