from datetime import date, timedelta

import pytest

from accounts.enums import InvestorType, StaffRole
from accounts.models import SuitabilityWarning
from accounts.suitability import Fit, check_client_for_product, product_fit
from core.exceptions import InvalidInput
from tests.factories import ClientFactory

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("level", "risk", "fit"),
    [
        ("C3", "R3", Fit.ALLOWED),
        ("C3", "R2", Fit.ALLOWED),
        ("C2", "R3", Fit.NEEDS_WARNING),
        ("C1", "R1", Fit.ALLOWED),
        ("C1", "R2", Fit.REFUSED),
        ("C5", "R5", Fit.ALLOWED),
    ],
)
def test_cn_may_be_sold_up_to_rn(level, risk, fit):
    assert product_fit(level=level, product_risk=risk) is fit


def test_professional_investors_are_not_limited_by_grade():
    assert product_fit(level="C1", product_risk="R5", professional=True) is Fit.ALLOWED


@pytest.mark.django_db
def test_c2_on_r3_is_refused_without_a_warning_and_allowed_with_one(make_staff):
    client = ClientFactory.create(suitability_level="C2", investor_type=InvestorType.ORDINARY)
    with pytest.raises(InvalidInput, match="special warning .* is required first"):
        check_client_for_product(client=client, product_risk_level="R3", on=TODAY)
    SuitabilityWarning.objects.create(
        client=client,
        suitability_level="C2",
        product_risk_level="R3",
        warning_text="本产品风险等级高于您的风险承受能力……",
        client_statement="本人坚持购买，已知悉风险。",
        acknowledged_on=TODAY - timedelta(days=1),
        valid_until=TODAY + timedelta(days=180),
        recorded_by=make_staff(StaffRole.COMPLIANCE),
    )
    decision = check_client_for_product(client=client, product_risk_level="R3", on=TODAY)
    assert decision.fit is Fit.NEEDS_WARNING and decision.warning is not None


@pytest.mark.django_db
def test_c1_is_refused_even_when_insisting():
    client = ClientFactory.create(suitability_level="C1")
    with pytest.raises(InvalidInput, match="lowest category"):
        check_client_for_product(client=client, product_risk_level="R2", on=TODAY)


@pytest.mark.django_db
def test_an_unassessed_client_is_refused():
    client = ClientFactory.create(suitability_level="")
    with pytest.raises(InvalidInput, match="no suitability assessment"):
        check_client_for_product(client=client, product_risk_level="R1", on=TODAY)
