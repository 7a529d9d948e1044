"""The terms builder reads the real credit line, the package and regulation in force, and KYC.

Numbers are the default packages (``credit.defaults``) under the 2026 rules (financing margin
ratio at least 100%, withdrawal at 300%), computed by hand below.
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import BankAccount
from contracts.terms import ContractTerms
from contracts.terms_builder import (
    LIQUIDATION_STEPS_FOR,
    build_contract_terms,
    financing_margin_ratio,
    liquidation_steps,
)
from contracts.vocabulary import LIQUIDATION_STEPS
from core.exceptions import InvalidInput
from core.fsm import apply_transition
from credit.enums import LiquidationOrder
from tests.accounts.factories import complete_kyc_file, institution_details, register_institution
from tests.contracts.conftest import KYC_ID, TODAY
from tests.credit.factories import EligibleClientFactory

pytestmark = pytest.mark.django_db


ON = TODAY.date()


def build(line, package, on=ON) -> ContractTerms:
    return build_contract_terms(credit_line=line, package=package, on=on)


def test_balanced_terms_by_hand(pending_line, credit_rules):
    terms = build(pending_line, credit_rules["balanced"])
    # max_financing_ratio 0.80 (financed ÷ own margin) → own margin ÷ financed = 1 ÷ 0.80 =
    # 1.25, stricter than the 100% regulatory minimum, so 125%.
    assert terms.financing_margin_ratio == Decimal("1.25")
    assert (terms.warning_line, terms.liquidation_line, terms.top_up_target) == (
        Decimal("1.40"),
        Decimal("1.30"),
        Decimal("1.60"),
    )
    assert terms.withdrawal_line == Decimal("3.00")  # margin-regulatory withdrawal_min_ratio
    assert (terms.interest_rate, terms.day_count, terms.penalty_rate_daily) == (
        Decimal("0.0650"),
        "ACT/360",
        Decimal("0.0005"),
    )
    assert terms.cure_period_trading_days == 2
    assert terms.liquidation_order == (
        "ineligible_collateral",
        "largest_concentration",
        "highest_loss",
    )  # largest_first
    (commission,) = terms.fees
    assert (commission.code, commission.basis, commission.rate, commission.amount) == (
        "commission",
        "trade_value",
        Decimal("0.0003"),
        Decimal("5.00"),  # ashare-trading commission_min per trade
    )
    assert (terms.package_key, terms.package_name_en, terms.package_risk_level) == (
        "package-balanced",
        "均衡 Balanced",
        "R4",
    )
    assert terms.package_effective_from == TODAY.date()
    context = terms.context("en")
    assert context["day_count_basis"] == 360
    assert context["liquidation_order"][1] == LIQUIDATION_STEPS["largest_concentration"][1]


def test_conservative_terms_by_hand(pending_line, credit_rules):
    terms = build(pending_line, credit_rules["conservative"])
    # 1 ÷ 0.50 = 2.00: own margin must be twice the financed amount.
    assert terms.financing_margin_ratio == Decimal("2.00")
    assert (terms.warning_line, terms.liquidation_line, terms.top_up_target) == (
        Decimal("1.50"),
        Decimal("1.40"),
        Decimal("1.70"),
    )
    assert (terms.interest_rate, terms.day_count) == (Decimal("0.0560"), "ACT/365")
    assert terms.context("zh-hans")["day_count_basis"] == 365
    assert terms.cure_period_trading_days == 3
    assert terms.liquidation_order == (
        "ineligible_collateral",
        "highest_loss",
        "largest_concentration",
    )  # losers_first


def test_the_regulatory_minimum_wins_over_a_looser_package():
    # An old package version allowing 1.25 × own margin (legal under the 80% rule) signed
    # while 100% applies: 1 ÷ 1.25 = 0.80 < 1.00, so the contract states 100%.
    assert financing_margin_ratio(Decimal("1.25"), Decimal("1.00")) == Decimal("1.00")
    assert financing_margin_ratio(Decimal("1.00"), Decimal("1.00")) == Decimal("1.00")
    assert financing_margin_ratio(Decimal("0.80"), Decimal("0.80")) == Decimal("1.25")
    with pytest.raises(InvalidInput, match="the package allows no financing"):
        financing_margin_ratio(Decimal("0"), Decimal("1.00"))


def test_the_line_gives_client_limit_and_term(pending_line, credit_rules):
    terms = build(pending_line, credit_rules["balanced"])
    assert (terms.client_no, terms.credit_line_ref) == (
        pending_line.client.client_no,
        f"CL-{pending_line.pk}",
    )
    assert (terms.credit_limit, terms.currency) == (pending_line.limit, "CNY")
    # The line runs six months from approval: 2026-03-02 – 2026-09-01.
    assert (terms.term_start, terms.term_end) == (date(2026, 3, 2), date(2026, 9, 1))
    assert (terms.firm_name_zh, terms.dispute_venue_kind) == ("支点证券股份有限公司", "arbitration")


def test_the_client_is_named_from_kyc_masked(pending_line, credit_rules):
    terms = build(pending_line, credit_rules["balanced"])
    assert (terms.client_name, terms.client_kind, terms.client_id_type) == (
        "王芳",
        "person",
        "resident_id",
    )
    assert terms.client_id_masked == KYC_ID[:3] + "*" * 11 + KYC_ID[-4:]
    assert KYC_ID not in str(terms.to_json())
    assert terms.client_address == "北京市朝阳区建国路 88 号"
    account = BankAccount.objects.get(client=pending_line.client)
    assert terms.custody_account_masked == account.number_masked
    assert "*" in account.number_masked


def test_an_institution_is_named_by_its_masked_uscc(ops, approve_line, credit_rules):
    details = institution_details()
    client = register_institution(ops)
    complete_kyc_file(client, ops)
    for step in ("submit_kyc", "verify_kyc", "assess_suitability", "mark_eligible"):
        apply_transition(client, step, by=ops, reason="test onboarding")
    client.suitability_level = "C5"
    client.save()
    line = approve_line(client, ("aggressive",))
    terms = build(line, credit_rules["aggressive"])
    assert (terms.client_name, terms.client_kind, terms.client_id_type) == (
        details.name,
        "institution",
        "uscc",
    )
    assert terms.client_id_masked == details.uscc[:3] + "*" * 11 + details.uscc[-4:]
    assert terms.client_address == details.registered_address
    # 1 ÷ 1.00 = 1.00, equal to the regulatory minimum.
    assert terms.financing_margin_ratio == Decimal("1.00")
    assert terms.liquidation_order[1] == "highest_loss"  # losers_first


def test_every_package_liquidation_order_has_contract_steps():
    assert set(LIQUIDATION_STEPS_FOR) == set(LiquidationOrder.values)
    for steps in LIQUIDATION_STEPS_FOR.values():
        assert all(step in LIQUIDATION_STEPS for step in steps)
        assert len(set(steps)) == len(steps)
    assert liquidation_steps("most_liquid_first") == (
        "ineligible_collateral",
        "most_liquid",
        "highest_loss",
    )
    with pytest.raises(InvalidInput, match="'random' has no contract wording"):
        liquidation_steps("random")


def test_a_package_the_line_does_not_allow_is_refused(pending_line, credit_rules):
    with pytest.raises(InvalidInput, match=r"package 'aggressive' is not allowed on credit line #"):
        build(pending_line, credit_rules["aggressive"])


def test_a_client_without_kyc_identity_is_refused(approve_line, credit_rules):
    line = approve_line(EligibleClientFactory.create())
    with pytest.raises(InvalidInput, match=f"client {line.client.client_no} has no identity"):
        build(line, credit_rules["balanced"])
