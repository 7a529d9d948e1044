"""The regime indicator moves the leverage cap only through an approval or a pre-approved bound."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.enums import ParameterStatus
from core.models import ParameterSet, ParameterVersion
from core.params.services import parameter_change_approve
from credit.rules import effective_max_financing_ratio
from credit.services import credit_defaults_install
from risk.stress.enums import RegimeAction
from risk.stress.keys import REGIME_INDICATOR_DEFAULTS, REGIME_INDICATOR_SET
from risk.stress.liquidity_services import market_regime_assess
from risk.stress.models import RegimeReading
from tests.risk.stress.conftest import real_bars

CIRCUIT_BREAKER_DAY = date(2016, 1, 7)  # 000001 volume and illiquidity: stressed


@pytest.fixture
def credit_rules(risk_officer, second_risk_officer):
    credit_defaults_install(
        maker=risk_officer,
        checker=second_risk_officer,
        effective_from=timezone.localdate(),
        reason="starting rules for the test",
    )


@pytest.fixture
def reference(db):
    return real_bars("000001", "2015-06-01", "2016-01-29")


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def test_a_stressed_reading_tightens_the_cap_only_once_approved(
    credit_rules, reference, risk_officer, second_risk_officer
):
    before = effective_max_financing_ratio("balanced", tomorrow())

    reading = market_regime_assess(on=CIRCUIT_BREAKER_DAY, maker=risk_officer)
    assert reading.proposal is not None

    assert (reading.regime, reading.in_force, reading.action) == (
        "stressed",
        "normal",
        RegimeAction.PROPOSED,
    )
    assert "amihud_jump" in reading.drivers
    assert reading.proposal.status == ParameterStatus.PROPOSED
    # Proposed only: the cap is unchanged.
    assert effective_max_financing_ratio("balanced", tomorrow()) == before

    parameter_change_approve(version=reading.proposal, checker=second_risk_officer)

    after = effective_max_financing_ratio("balanced", tomorrow())
    assert after < before
    assert after == Decimal("0.64")


def test_a_rerun_returns_the_same_reading_and_proposes_nothing_more(
    credit_rules, reference, risk_officer
):
    first = market_regime_assess(on=CIRCUIT_BREAKER_DAY, maker=risk_officer)
    again = market_regime_assess(on=CIRCUIT_BREAKER_DAY, maker=risk_officer)
    assert again.pk == first.pk
    assert ParameterVersion.objects.filter(status=ParameterStatus.PROPOSED).count() == 1
    assert RegimeReading.objects.count() == 1


def test_tightening_within_the_pre_approved_bound_applies_and_is_logged(
    credit_rules, reference, risk_officer, second_risk_officer
):
    bound = ParameterVersion.objects.create(
        parameter_set=ParameterSet.objects.get(key=REGIME_INDICATOR_SET),
        effective_from=date(2016, 1, 1),
        values={**REGIME_INDICATOR_DEFAULTS, "auto_apply_up_to": "stressed"},
        status=ParameterStatus.APPROVED,
        maker=risk_officer,
        checker=second_risk_officer,
    )
    before = effective_max_financing_ratio("balanced", tomorrow())

    reading = market_regime_assess(on=CIRCUIT_BREAKER_DAY, maker=risk_officer)
    assert reading.proposal is not None

    assert reading.action == RegimeAction.AUTO_APPLIED
    assert reading.proposal.status == ParameterStatus.APPROVED
    assert (reading.proposal.maker, reading.proposal.checker) == (risk_officer, second_risk_officer)
    assert f"version #{bound.pk}" in reading.proposal.decision_note
    assert effective_max_financing_ratio("balanced", tomorrow()) < before


def test_a_normal_reading_changes_nothing(credit_rules, reference, risk_officer):
    reading = market_regime_assess(on=date(2015, 12, 31), maker=risk_officer)
    assert (reading.regime, reading.action, reading.proposal) == (
        "normal",
        RegimeAction.UNCHANGED,
        None,
    )
    assert not ParameterVersion.objects.filter(status=ParameterStatus.PROPOSED).exists()
