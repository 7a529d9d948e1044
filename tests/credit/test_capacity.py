"""capacity_for against hand-computed examples."""

from datetime import timedelta
from decimal import Decimal

import pytest

from core.params.services import parameter_change_approve
from credit import capacity as capacity_module
from credit.capacity import (
    Holding,
    capacity_for,
    collateral_value,
    register_used_amount_provider,
    zero_used_amount,
)
from credit.services import credit_line_suspend, market_regime_propose
from markets.enums import InstrumentKind
from markets.models import Suspension
from tests.credit.conftest import TODAY, at
from tests.credit.factories import EligibleClientFactory, InstrumentFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def holdings(db):
    return [
        # 1,000 × 10.00 = 10,000 of an SSE 180 constituent: balanced 65%, aggressive 70%
        Holding(InstrumentFactory.create(index_constituent=True), 1000, D("10.00")),
        # 2,000 × 25.50 = 51,000 of another A-share: 60% / 65%
        Holding(InstrumentFactory.create(), 2000, D("25.50")),
        # 10,000 × 3.000 = 30,000 of an ETF: 85% / 90%
        Holding(InstrumentFactory.create(kind=InstrumentKind.ETF, pe_ttm=None), 10000, D("3.000")),
        # 500 × 8.00 of an ST stock: nothing
        Holding(InstrumentFactory.create(is_st=True), 500, D("8.00")),
    ]


def used_30k(*, client, at):
    return D("30000")


@pytest.fixture
def line_client(active_line):
    client = EligibleClientFactory.create(suitability_level="C5")
    active_line(client, requested_amount=D("1000000"), packages=["balanced", "aggressive"])
    return client


def test_capacity_by_hand(line_client, holdings):
    cap = capacity_for(
        client=line_client,
        at=at(TODAY, 14),
        holdings=holdings,
        cash=D("20000"),
        used_amount_provider=used_30k,
    )
    assert (cap.usable, cap.reason) == (True, "credit line active")
    assert (cap.limit, cap.used, cap.available) == (D("1000000.00"), D("30000.00"), D("970000.00"))

    balanced = cap.package("balanced")
    # 20,000 + 6,500 + 30,600 + 25,500 + 0
    assert balanced.collateral_value == D("82600.00")
    assert balanced.max_financing_ratio == D("0.80")
    assert balanced.financing_power == D("66080.00")  # 82,600 × 0.80
    assert balanced.can_draw == D("36080.00")  # 66,080 − 30,000 used

    aggressive = cap.package("aggressive")
    # 20,000 + 7,000 + 33,150 + 27,000 + 0
    assert aggressive.collateral_value == D("87150.00")
    assert aggressive.max_financing_ratio == D("1")
    assert aggressive.financing_power == D("87150.00")
    assert aggressive.can_draw == D("57150.00")


def test_the_limit_binds_before_the_collateral(line_client, holdings):
    def used_990k(*, client, at):
        return D("990000")

    big = [Holding(holdings[0].instrument, 1_000_000, D("10.00"))]  # 10M at 70%
    cap = capacity_for(client=line_client, at=TODAY, holdings=big, used_amount_provider=used_990k)
    assert cap.available == D("10000.00")
    assert cap.package("aggressive").financing_power == D("7000000.00")
    assert cap.package("aggressive").can_draw == D("10000.00")


def test_overdrawn_is_zero_never_negative(line_client, holdings):
    def used_2m(*, client, at):
        return D("2000000")

    cap = capacity_for(
        client=line_client, at=TODAY, holdings=holdings, used_amount_provider=used_2m
    )
    assert cap.available == D("0.00")
    assert {p.can_draw for p in cap.packages} == {D("0.00")}


def test_a_stressed_regime_tightens_what_can_be_drawn(
    line_client, holdings, risk_officer, second_risk_officer
):
    stressed_from = TODAY + timedelta(days=1)
    version = market_regime_propose(
        regime="stressed", effective_from=stressed_from, maker=risk_officer, reason="forecast"
    )
    parameter_change_approve(version=version, checker=second_risk_officer)
    cap = capacity_for(
        client=line_client,
        at=stressed_from,
        holdings=holdings,
        cash=D("20000"),
        used_amount_provider=used_30k,
    )
    aggressive = cap.package("aggressive")
    assert aggressive.max_financing_ratio == D("0.8")  # 1.00 × 0.80
    assert aggressive.financing_power == D("69720.00")  # 87,150 × 0.80
    assert aggressive.can_draw == D("39720.00")
    assert cap.package("balanced").max_financing_ratio == D("0.64")


def test_no_line_no_capacity(credit_rules, eligible_client, holdings):
    cap = capacity_for(client=eligible_client, at=TODAY, holdings=holdings)
    assert (cap.usable, cap.reason, cap.limit, cap.available) == (
        False,
        "no credit line",
        D("0.00"),
        D("0.00"),
    )
    assert cap.packages == ()


def test_pending_and_suspended_lines_cannot_be_drawn(
    approved_line, line_client, holdings, risk_officer
):
    pending_client = EligibleClientFactory.create()
    approved_line(pending_client)
    cap = capacity_for(client=pending_client, at=TODAY, holdings=holdings)
    assert (cap.usable, cap.reason, cap.limit) == (
        False,
        "credit line is Pending contract",
        D("800000.00"),
    )
    assert cap.available == D("0.00")
    assert cap.package("balanced").can_draw == D("0.00")

    line = line_client.credit_lines.get()
    credit_line_suspend(credit_line=line, by=risk_officer, reason="margin call unresolved")
    cap = capacity_for(client=line_client, at=TODAY, holdings=holdings)
    assert (cap.usable, cap.reason, cap.available) == (False, "credit line is Suspended", D("0.00"))


def test_a_registered_ledger_reader_supplies_the_used_amount(line_client):
    previous = capacity_module._provider["used"]  # custody's ledger reader, registered at start
    register_used_amount_provider(used_30k)
    try:
        assert capacity_for(client=line_client, at=TODAY).used == D("30000.00")
        # An explicit provider wins over the registered one.
        assert capacity_for(
            client=line_client, at=TODAY, used_amount_provider=zero_used_amount
        ).used == D("0.00")
    finally:
        register_used_amount_provider(previous)
    assert capacity_for(client=line_client, at=TODAY).used == D("0.00")  # no margin account


def test_collateral_value_with_a_suspension(credit_rules, holdings):
    Suspension.objects.create(instrument=holdings[1].instrument, suspended_on=TODAY)
    # 6,500 + 0 (halted) + 25,500 + 0
    assert collateral_value(holdings, "balanced", TODAY) == D("32000.00")
