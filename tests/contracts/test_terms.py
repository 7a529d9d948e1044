"""ContractTerms: a complete, validated, language-neutral snapshot that survives JSON."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.terms import ContractTerms
from core.exceptions import InvalidInput
from tests.contracts.factories import ContractTermsFactory, FeeTermFactory

rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=6, allow_nan=False)


@given(interest=rates, penalty=rates, limit=st.integers(min_value=1, max_value=10**12))
def test_terms_survive_json_exactly(interest, penalty, limit):
    terms = ContractTermsFactory.build(
        interest_rate=interest, penalty_rate_daily=penalty, credit_limit=Decimal(limit) / 100
    )
    data = terms.to_json()
    assert isinstance(data["interest_rate"], str)
    again = ContractTerms.from_json(data)
    assert again == terms
    assert again.to_json() == data


def test_json_keeps_decimals_as_text_and_dates_as_iso():
    data = ContractTermsFactory.build(client_no="C0000009").to_json()
    assert data["schema"] == 1
    assert data["credit_limit"] == "1000000.00"
    assert data["warning_line"] == "1.40"
    assert data["term_start"] == "2026-03-02"
    assert data["fees"][0] == {
        "code": "commission",
        "basis": "trade_value",
        "rate": "0.0003",
        "amount": "5.00",
    }
    assert data["custody_account_masked"] == "6222 **** **** 0456"


def test_unknown_or_missing_terms_are_refused_by_name():
    data = ContractTermsFactory.build().to_json()
    with pytest.raises(InvalidInput, match="unknown contract terms: surprise"):
        ContractTerms.from_json({**data, "surprise": 1})
    del data["cure_period_trading_days"]
    with pytest.raises(InvalidInput, match="missing contract terms: cure_period_trading_days"):
        ContractTerms.from_json(data)


def test_floats_are_refused():
    with pytest.raises(InvalidInput, match=r"interest_rate must be a finite Decimal, got 0.08"):
        ContractTermsFactory.build(interest_rate=0.08)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"warning_line": Decimal("1.20")}, "the lines must rise: liquidation 130% < warning 120%"),
        ({"day_count": "30/360"}, "day_count: '30/360' is not one of ACT/365, ACT/360"),
        ({"dispute_venue_kind": "mediation"}, "dispute_venue_kind: 'mediation' is not one of"),
        ({"liquidation_order": ("cheapest_first",)}, "cheapest_first has no contract wording"),
        ({"liquidation_order": ()}, "liquidation_order must name at least one step"),
        ({"term_end": date(2026, 3, 1)}, "the term must end after it starts"),
        ({"cure_period_trading_days": 0}, "cure_period_trading_days must be at least 1"),
        ({"client_id_masked": "11010519491231002X"}, "client_id_masked must be masked"),
    ],
)
def test_inconsistent_terms_are_refused_with_the_rule(changes, message):
    with pytest.raises(InvalidInput, match=message):
        ContractTermsFactory.build(**changes)


def test_an_unknown_fee_is_refused():
    with pytest.raises(InvalidInput, match="fees: 'surprise_fee' has no contract wording"):
        FeeTermFactory.build(code="surprise_fee")


def test_context_gives_each_language_its_own_wording():
    terms = ContractTermsFactory.build()
    zh, en = terms.context("zh-hans"), terms.context("en")
    assert zh["firm_name"] == "支点证券股份有限公司"
    assert en["firm_name"] == "Fulcrum Securities Co., Ltd."
    assert "firm_name_zh" not in zh and "firm_name_en" not in en
    assert zh["day_count_label"] == "实际天数/360（ACT/360）"
    assert en["day_count_basis"] == 360
    assert en["liquidation_order"][0].startswith("securities that are not eligible collateral")
    assert zh["fees"][0] == {
        "code": "commission",
        "label": "交易佣金",
        "amount_text": "0.03%（最低 人民币 5.00 元）",
        "basis_label": "按成交金额计收",
    }


def test_empty_optional_terms_are_left_out_of_the_context():
    terms = ContractTermsFactory.build(custody_account_masked=None)
    assert "custody_account_masked" not in terms.context("en")
    assert "custody_account_masked" in ContractTerms.variable_names()
