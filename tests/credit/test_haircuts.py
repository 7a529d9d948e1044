"""Haircuts: the package's rate by category, never above the regulatory cap; 0 when barred."""

from datetime import timedelta
from decimal import Decimal

import pytest

from credit.haircuts import haircut_decision, haircut_for, suspended_instrument_ids
from credit.rules import package_snapshot, regulatory_snapshot
from markets.enums import Board, InstrumentKind
from markets.models import Suspension
from tests.credit.conftest import TODAY
from tests.credit.factories import InstrumentFactory

pytestmark = pytest.mark.django_db


def rate(instrument, code="balanced", on=TODAY, **kw):
    # The package terms start on TODAY; the date asked about may be any other day.
    package = package_snapshot(code, TODAY)
    return haircut_for(instrument, package, regulatory_snapshot(on), on, **kw)


@pytest.mark.parametrize(
    ("attrs", "balanced", "aggressive"),
    [
        ({"index_constituent": True}, "0.65", "0.70"),
        ({}, "0.60", "0.65"),
        ({"kind": InstrumentKind.ETF, "pe_ttm": None}, "0.85", "0.90"),
        ({"kind": InstrumentKind.MONEY_FUND, "pe_ttm": None}, "0.95", "0.95"),
        ({"kind": InstrumentKind.FUND, "pe_ttm": None}, "0.75", "0.80"),
        ({"kind": InstrumentKind.BOND, "pe_ttm": None}, "0.75", "0.80"),
    ],
)
def test_haircut_by_category(credit_rules, attrs, balanced, aggressive):
    instrument = InstrumentFactory.create(**attrs)
    assert rate(instrument, "balanced") == Decimal(balanced)
    assert rate(instrument, "aggressive") == Decimal(aggressive)


@pytest.mark.parametrize(
    ("attrs", "reason"),
    [
        ({"is_st": True}, "ST / *ST"),
        ({"delisting_risk": True}, "in a delisting arrangement"),
        ({"delisted_on": TODAY - timedelta(days=1)}, "delisted on 2026-03-01"),
        ({"pe_ttm": Decimal("300.01")}, "static P/E 300.01 is above 300"),
        ({"pe_ttm": Decimal("-4.20")}, "static P/E -4.20 is zero or negative"),
        ({"pe_ttm": Decimal("0")}, "static P/E 0 is zero or negative"),
    ],
)
def test_barred_securities_count_for_nothing(credit_rules, attrs, reason):
    instrument = InstrumentFactory.create(index_constituent=True, **attrs)
    decision = haircut_decision(
        instrument, package_snapshot("aggressive", TODAY), regulatory_snapshot(TODAY), TODAY
    )
    assert (decision.rate, decision.reason) == (Decimal("0"), reason)


def test_pe_at_the_threshold_and_unknown_pe_keep_their_haircut(credit_rules):
    assert rate(InstrumentFactory.create(pe_ttm=Decimal("300"))) == Decimal("0.60")
    assert rate(InstrumentFactory.create(pe_ttm=None)) == Decimal("0.60")


def test_suspended_only_while_halted(credit_rules):
    instrument = InstrumentFactory.create()
    Suspension.objects.create(
        instrument=instrument, suspended_on=TODAY, resumed_on=TODAY + timedelta(days=2)
    )
    assert rate(instrument, on=TODAY - timedelta(days=1)) == Decimal("0.60")
    assert rate(instrument, on=TODAY) == Decimal("0")
    assert rate(instrument, on=TODAY + timedelta(days=1)) == Decimal("0")
    assert rate(instrument, on=TODAY + timedelta(days=2)) == Decimal("0.60")
    assert suspended_instrument_ids([instrument.pk], TODAY) == {instrument.pk}
    # A batch caller passes what it looked up once.
    assert rate(instrument, on=TODAY, suspended=False) == Decimal("0.60")


def test_boards_and_kinds_the_package_does_not_accept(credit_rules):
    chinext = InstrumentFactory.create(board=Board.CHINEXT)
    fund = InstrumentFactory.create(kind=InstrumentKind.FUND, pe_ttm=None)
    assert rate(chinext, "conservative") == Decimal("0")
    assert rate(chinext, "balanced") == Decimal("0.60")
    assert rate(fund, "conservative") == Decimal("0")


def test_the_regulatory_cap_wins_over_a_package_table(credit_rules):
    """Validation refuses such a package; the function still never exceeds the cap."""
    loose = dict(package_snapshot("aggressive", TODAY).values)
    loose["haircuts"] = {**loose["haircuts"], "etf": "0.99", "other_ashare": "0.80"}
    etf = InstrumentFactory.create(kind=InstrumentKind.ETF, pe_ttm=None)
    stock = InstrumentFactory.create()
    reg = regulatory_snapshot(TODAY)
    assert haircut_for(etf, loose, reg, TODAY) == Decimal("0.90")
    assert haircut_for(stock, loose, reg, TODAY) == Decimal("0.65")
