"""Leverage packages are dated parameters that can never be looser than regulation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from core import params
from core.enums import ParameterStatus
from core.exceptions import InvalidInput, ParameterMissing
from core.models import ParameterSet, ParameterVersion
from core.params.services import parameter_change_approve, parameter_change_propose
from credit import defaults
from credit.models import LeveragePackage
from credit.rules import effective_max_financing_ratio, package_terms
from credit.rules.packages import usable_leverage
from credit.services import leverage_package_define, market_regime_propose
from tests.credit.conftest import TODAY, at

pytestmark = pytest.mark.django_db


def balanced(**changes):
    spec = next(p for p in defaults.PACKAGES if p["code"] == "balanced")
    return {**spec["values"], **changes}


def propose(maker, values, *, on=TODAY + timedelta(days=7), code="balanced"):
    return parameter_change_propose(
        parameter_set=ParameterSet.objects.get(key=f"package-{code}"),
        effective_from=on,
        values=values,
        maker=maker,
        reason="test change",
    )


def test_the_defaults_install_three_packages_with_their_own_lines(credit_rules):
    assert sorted(credit_rules) == ["aggressive", "balanced", "conservative"]
    lines = {
        code: (t.warning_line, t.liquidation_line, t.topup_target, t.risk_level)
        for code in credit_rules
        for t in [package_terms(code, TODAY)]
    }
    assert lines == {
        "conservative": (Decimal("1.50"), Decimal("1.40"), Decimal("1.70"), "R3"),
        "balanced": (Decimal("1.40"), Decimal("1.30"), Decimal("1.60"), "R4"),
        "aggressive": (Decimal("1.35"), Decimal("1.25"), Decimal("1.50"), "R5"),
    }
    terms = package_terms("balanced", TODAY)
    assert (terms.day_count, terms.cure_period_trading_days) == ("ACT/360", 2)
    assert terms.haircuts["etf"] == Decimal("0.85")


def test_a_package_looser_than_the_financing_margin_ratio_is_refused(credit_rules, risk_officer):
    before = ParameterVersion.objects.count()
    with pytest.raises(InvalidInput) as error:
        propose(risk_officer, balanced(max_financing_ratio="1.25"))
    assert str(error.value) == (
        "max_financing_ratio 1.25 is looser than regulation: the financing margin ratio in force "
        f"on {TODAY + timedelta(days=7)} is at least 100% (margin-regulatory "
        "financing_margin_ratio_min), so financing may be at most 1 × own margin"
    )
    assert error.value.field == "max_financing_ratio"
    assert ParameterVersion.objects.count() == before
    assert package_terms("balanced", TODAY + timedelta(days=7)).max_financing_ratio == Decimal(
        "0.80"
    )


def test_a_haircut_above_the_regulatory_cap_is_refused(credit_rules, risk_officer):
    haircuts = {**balanced()["haircuts"], "etf": "0.95"}
    before = ParameterVersion.objects.count()
    with pytest.raises(InvalidInput, match=r"haircuts: etf 95% is looser than the regulatory cap"):
        propose(risk_officer, balanced(haircuts=haircuts))
    assert ParameterVersion.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"liquidation_line": "1.45"}, "warning_line 140% must be above the liquidation line 145%"),
        ({"topup_target": "1.35"}, "topup_target 135% must be above the warning line 140%"),
        ({"max_financing_ratio": "0"}, "max_financing_ratio must be more than zero"),
        ({"eligible_boards": ["main", "otc"]}, "eligible_boards: unknown otc"),
        ({"commission_rate": "0.004"}, "commission_rate 0.004 is above the commission cap 0.003"),
        ({"concentration_single_stock": "0"}, "concentration_single_stock must be more than zero"),
    ],
)
def test_inconsistent_packages_are_refused(credit_rules, risk_officer, changes, message):
    before = ParameterVersion.objects.count()
    with pytest.raises(InvalidInput, match=message):
        propose(risk_officer, balanced(**changes))
    assert ParameterVersion.objects.count() == before


def test_haircuts_must_be_text_and_complete(credit_rules, risk_officer):
    with pytest.raises(InvalidInput, match=r'haircuts: etf must be written as text, e\.g\. "0.65"'):
        propose(risk_officer, balanced(haircuts={**balanced()["haircuts"], "etf": 0.8}))
    partial = dict(balanced()["haircuts"])
    del partial["etf"]
    with pytest.raises(InvalidInput, match="missing etf"):
        propose(risk_officer, balanced(haircuts=partial))


def test_the_rule_in_force_on_the_effective_date_decides(risk_officer, second_risk_officer):
    """1.25× was lawful under the 80% ratio (2023-09-08 to 2026-01-18), not after."""
    leverage_package_define(code="balanced", name="Balanced")
    with time_machine.travel(at(date(2025, 6, 2)), tick=False):
        early = propose(risk_officer, balanced(max_financing_ratio="1.25"), on=date(2025, 6, 2))
        parameter_change_approve(version=early, checker=second_risk_officer)
        with pytest.raises(InvalidInput, match="in force on 2026-01-19 is at least 100%"):
            propose(risk_officer, balanced(max_financing_ratio="1.25"), on=date(2026, 1, 19))
    assert package_terms("balanced", date(2025, 6, 2)).max_financing_ratio == Decimal("1.25")


def test_an_old_package_version_is_capped_by_the_regulation_of_the_day(
    risk_officer, second_risk_officer
):
    leverage_package_define(code="balanced", name="Balanced")
    with time_machine.travel(at(date(2025, 6, 2)), tick=False):
        version = propose(risk_officer, balanced(max_financing_ratio="1.25"), on=date(2025, 6, 2))
        parameter_change_approve(version=version, checker=second_risk_officer)
        regime = ParameterSet.objects.get(key="market-regime")
        regime_version = parameter_change_propose(
            parameter_set=regime,
            effective_from=date(2025, 6, 2),
            values=defaults.REGIME,
            maker=risk_officer,
            reason="normal",
        )
        parameter_change_approve(version=regime_version, checker=second_risk_officer)
    # The 2025 version is still the package's newest, but regulation tightened on 2026-01-19.
    assert package_terms("balanced", TODAY).max_financing_ratio == Decimal("1.25")
    assert effective_max_financing_ratio("balanced", date(2026, 1, 18)) == Decimal("1.25")
    assert effective_max_financing_ratio("balanced", date(2026, 1, 19)) == Decimal("1")


def test_approval_rechecks_the_rules(credit_rules, risk_officer, second_risk_officer):
    version = propose(risk_officer, balanced(warning_line="1.45"))
    parameter_change_approve(version=version, checker=second_risk_officer)
    assert package_terms("balanced", version.effective_from).warning_line == Decimal("1.45")


def test_approval_is_refused_when_regulation_tightened_after_the_proposal(
    credit_rules, risk_officer, second_risk_officer
):
    proposal = propose(risk_officer, balanced(max_financing_ratio="1.00"), code="balanced")
    # Meanwhile the exchanges raise the financing margin ratio to 125% before that date.
    regulation = ParameterSet.objects.get(key="margin-regulatory")
    current = dict(params.version_in_force("margin-regulatory", TODAY).values)
    tighter = parameter_change_propose(
        parameter_set=regulation,
        effective_from=TODAY + timedelta(days=5),
        values={**current, "financing_margin_ratio_min": "1.25"},
        maker=second_risk_officer,
        reason="exchange notice",
    )
    parameter_change_approve(version=tighter, checker=risk_officer)

    with pytest.raises(InvalidInput) as error:
        parameter_change_approve(version=proposal, checker=second_risk_officer)
    assert "max_financing_ratio 1.00 is looser than regulation" in str(error.value)
    assert "at least 125% (margin-regulatory financing_margin_ratio_min)" in str(error.value)
    proposal.refresh_from_db()
    assert proposal.status == ParameterStatus.PROPOSED
    assert package_terms("balanced", proposal.effective_from).max_financing_ratio == Decimal("0.80")


def test_the_regime_only_tightens(credit_rules, risk_officer, second_risk_officer):
    assert effective_max_financing_ratio("aggressive", TODAY) == Decimal("1")
    assert effective_max_financing_ratio("balanced", TODAY) == Decimal("0.8")
    stressed_from = TODAY + timedelta(days=3)
    version = market_regime_propose(
        regime="stressed", effective_from=stressed_from, maker=risk_officer, reason="forecast"
    )
    assert effective_max_financing_ratio("balanced", stressed_from) == Decimal("0.8")
    parameter_change_approve(version=version, checker=second_risk_officer)
    assert effective_max_financing_ratio("balanced", stressed_from) == Decimal("0.64")
    assert effective_max_financing_ratio("aggressive", stressed_from) == Decimal("0.8")
    assert effective_max_financing_ratio("balanced", stressed_from - timedelta(days=1)) == Decimal(
        "0.8"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"multiplier_crisis": "1.20"}, "multiplier_crisis: 1.20 is above the maximum 1"),
        (
            {"multiplier_stressed": "0.40"},
            "multiplier_crisis 0.50 must not be above multiplier_stressed 0.40",
        ),
    ],
)
def test_a_regime_that_would_loosen_is_refused(credit_rules, risk_officer, changes, message):
    before = ParameterVersion.objects.count()
    with pytest.raises(InvalidInput, match=message):
        parameter_change_propose(
            parameter_set=ParameterSet.objects.get(key="market-regime"),
            effective_from=TODAY + timedelta(days=1),
            values={**defaults.REGIME, **changes},
            maker=risk_officer,
            reason="test",
        )
    assert ParameterVersion.objects.count() == before


ratios = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3"), places=2)
multipliers = st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=2)


@given(package=ratios, regulation=ratios, multiplier=multipliers)
def test_usable_leverage_never_exceeds_package_or_regulation(package, regulation, multiplier):
    usable = usable_leverage(package=package, regulation=regulation, multiplier=multiplier)
    assert usable <= package
    assert usable <= regulation
    assert usable == min(package * multiplier, regulation)


def test_a_new_package_gets_its_own_parameter_set(credit_rules):
    package = leverage_package_define(code="etf-only", name="ETF only")
    assert package.parameter_set.key == "package-etf-only"
    assert LeveragePackage.objects.filter(code="etf-only").exists()
    with pytest.raises(InvalidInput, match="lower-case letters"):
        leverage_package_define(code="Bad Code", name="x")
    assert not ParameterSet.objects.filter(key="package-Bad Code").exists()
    with pytest.raises(ParameterMissing, match="no approved 'package-etf-only' parameters"):
        package_terms(package, TODAY)
