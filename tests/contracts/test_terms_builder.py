"""The terms builder reads the credit line and the parameters in force (wired to credit later).

The package and regulatory sets here are test-only stand-ins with the agreed parameter names;
the credit stage seeds the real ``package-*`` and ``margin-regulatory`` sets.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from contracts.terms_builder import ClientIdentity, build_contract_terms
from core.exceptions import InvalidInput, ParameterMissing
from core.params.services import parameter_seed_history, parameter_set_define

pytestmark = pytest.mark.django_db

D = {"type": "decimal"}
PACKAGE_SCHEMA = {
    "risk_level": {"type": "string"},
    "financing_margin_ratio": D,
    "warning_line": D,
    "liquidation_line": D,
    "top_up_target": D,
    "interest_rate": D,
    "day_count": {"type": "choice", "choices": ["ACT/365", "ACT/360"]},
    "penalty_rate_daily": D,
    "cure_period_trading_days": {"type": "integer"},
    "liquidation_order": {"type": "json"},
    "fees": {"type": "json"},
}
PACKAGE_VALUES = {
    "risk_level": "R4",
    "financing_margin_ratio": "0.80",
    "warning_line": "1.40",
    "liquidation_line": "1.30",
    "top_up_target": "1.60",
    "interest_rate": "0.0835",
    "day_count": "ACT/360",
    "penalty_rate_daily": "0.0005",
    "cure_period_trading_days": 2,
    "liquidation_order": ["ineligible_collateral", "highest_loss"],
    "fees": {"commission": {"basis": "trade_value", "rate": "0.0003", "amount": "5"}},
}


@pytest.fixture
def parameters():
    package = parameter_set_define(
        key="test-package-balanced",
        name="Balanced package",
        schema=PACKAGE_SCHEMA,
        category="test",
    )
    parameter_seed_history(
        parameter_set=package, versions=[(date(2025, 1, 1), PACKAGE_VALUES, "test")]
    )
    regulatory = parameter_set_define(
        key="test-margin-regulatory",
        name="Margin rules",
        schema={"min_financing_margin_ratio": D, "withdrawal_line": D},
        category="test",
    )
    parameter_seed_history(
        parameter_set=regulatory,
        versions=[
            (
                date(2023, 9, 8),
                {"min_financing_margin_ratio": "0.80", "withdrawal_line": "3.00"},
                "80%",
            ),
            (
                date(2026, 1, 19),
                {"min_financing_margin_ratio": "1.00", "withdrawal_line": "3.00"},
                "100%",
            ),
        ],
    )


@pytest.fixture
def credit_line(approved_client):
    return SimpleNamespace(
        pk=42,
        client=approved_client,
        limit=Decimal("800000.00"),
        valid_from=date(2026, 2, 2),
        valid_to=date(2026, 8, 1),
        allowed_packages=["test-package-balanced"],
    )


IDENTITY = ClientIdentity(
    id_type="resident_id", id_masked="110105********002X", address="北京市朝阳区建国路 88 号"
)


def build(credit_line, on, package_key="test-package-balanced"):
    return build_contract_terms(
        credit_line=credit_line,
        package_key=package_key,
        identity=IDENTITY,
        on=on,
        regulatory_set="test-margin-regulatory",
    )


def test_terms_come_from_the_line_the_package_and_the_firm(parameters, credit_line):
    terms = build(credit_line, date(2026, 2, 2))
    assert (terms.client_no, terms.client_name, terms.credit_line_ref) == (
        "C1000001",
        "王芳",
        "CL-42",
    )
    assert (terms.credit_limit, terms.term_start, terms.term_end) == (
        Decimal("800000.00"),
        date(2026, 2, 2),
        date(2026, 8, 1),
    )
    assert (terms.warning_line, terms.liquidation_line, terms.top_up_target) == (
        Decimal("1.40"),
        Decimal("1.30"),
        Decimal("1.60"),
    )
    assert terms.fees[0].rate == Decimal("0.0003")
    assert terms.liquidation_order == ("ineligible_collateral", "highest_loss")
    assert terms.package_name_en == "Balanced package"
    assert terms.firm_name_zh == "支点证券股份有限公司"
    assert terms.dispute_venue_kind == "arbitration"


def test_the_regulatory_floor_tightens_a_looser_package(parameters, credit_line):
    assert build(credit_line, date(2026, 1, 16)).financing_margin_ratio == Decimal("0.80")
    assert build(credit_line, date(2026, 1, 19)).financing_margin_ratio == Decimal("1.00")


def test_a_package_the_line_does_not_allow_is_refused(parameters, credit_line):
    with pytest.raises(InvalidInput, match="package 'package-aggressive' is not allowed"):
        build(credit_line, date(2026, 2, 2), package_key="package-aggressive")


def test_missing_parameters_are_named(credit_line):
    with pytest.raises(ParameterMissing, match="no approved 'test-package-balanced' parameters"):
        build(credit_line, date(2026, 2, 2))
