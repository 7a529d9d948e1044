"""The exchange margin rules are seeded history that other apps read by key."""

from datetime import date
from decimal import Decimal

import pytest

from core import params
from core.enums import ParameterSource
from core.models import ParameterSet, ParameterVersion
from credit import schemas
from credit.rules import regulatory_rules

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "ratio"),
    [
        (date(2015, 6, 1), "0.50"),
        (date(2015, 11, 22), "0.50"),
        (date(2015, 11, 23), "1.00"),
        (date(2023, 9, 7), "1.00"),
        (date(2023, 9, 8), "0.80"),
        (date(2026, 1, 18), "0.80"),
        (date(2026, 1, 19), "1.00"),
    ],
)
def test_financing_margin_ratio_history(day, ratio):
    assert params.value("margin-regulatory", "financing_margin_ratio_min", day) == Decimal(ratio)


def test_max_financing_ratio_follows_the_margin_ratio():
    assert regulatory_rules(date(2025, 6, 2)).max_financing_ratio == Decimal("1.25")
    assert regulatory_rules(date(2026, 3, 2)).max_financing_ratio == Decimal("1")


def test_haircut_caps_terms_and_withdrawal_threshold():
    rules = regulatory_rules(date(2026, 3, 2))
    assert rules.haircut_caps == {
        "index_constituent": Decimal("0.70"),
        "other_ashare": Decimal("0.65"),
        "etf": Decimal("0.90"),
        "money_fund_treasury": Decimal("0.95"),
        "other_fund_bond": Decimal("0.80"),
    }
    assert rules.zero_pe_above == Decimal("300")
    assert (rules.contract_term_max_months, rules.rollover_term_max_months) == (6, 6)
    # custody reads this exact key
    assert params.value("margin-regulatory", "withdrawal_min_ratio", date(2026, 3, 2)) == Decimal(
        "3.00"
    )


def test_the_closing_line_floor_fell_with_the_2019_revision():
    assert regulatory_rules(date(2019, 8, 8)).closing_line_min == Decimal("1.30")
    assert regulatory_rules(date(2019, 8, 9)).closing_line_min == Decimal("1.00")


def test_every_regulatory_version_is_a_cited_seed():
    versions = ParameterVersion.objects.filter(parameter_set__key="margin-regulatory")
    assert versions.count() == 5
    assert set(versions.values_list("source", flat=True)) == {ParameterSource.SEED}
    assert all(len(v.reason) > 40 for v in versions)


@pytest.mark.parametrize(
    ("key", "schema"),
    [
        ("margin-regulatory", schemas.REGULATORY_SCHEMA),
        ("market-regime", schemas.REGIME_SCHEMA),
        ("credit-policy", schemas.POLICY_SCHEMA),
        ("credit-scorecard", schemas.SCORECARD_SCHEMA),
    ],
)
def test_the_migrated_schemas_match_the_code(key, schema):
    assert ParameterSet.objects.get(key=key).schema == schema
