"""Leverage backtest over the real 000002 bars; scenario editor validation; liquidity view."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from credit.services import credit_defaults_install
from risk.stress.admin import StressScenarioForm, bars_svg
from risk.stress.backtest import leverage_backtest_run
from risk.stress.liquidity_services import liquidity_view
from risk.stress.models import LiquidityForecast, StressScenario
from tests.risk.stress.conftest import book_of


@pytest.fixture
def credit_rules(risk_officer, second_risk_officer):
    credit_defaults_install(
        maker=risk_officer,
        checker=second_risk_officer,
        effective_from=timezone.localdate(),
        reason="starting rules for the test",
    )


def test_one_to_one_financing_survives_the_vanke_resumption(credit_rules, vanke_bars, risk_officer):
    result = leverage_backtest_run(
        package="aggressive",
        codes=["000002"],
        start=date(2016, 7, 4),
        end=date(2016, 7, 15),
        equity=Decimal("100000"),
        actor=risk_officer,
    )
    assert result.financing_ratio == Decimal("1")
    # Equity 100,000 + financing 100,000 in 000002 at 24.43: ratio 2.0 at the start, 1.8 after
    # the first limit-down day, 2 × 17.89 / 24.43 ≈ 1.46 on 2016-07-15 — never below 140%.
    curve = result.curve["000002"]
    assert curve[0] == pytest.approx(1.8, abs=0.01)
    assert min(curve) == pytest.approx(2 * 17.89 / 24.43, abs=0.01)
    assert (result.calls, result.liquidations, result.events) == (0, 0, [])
    assert result.loss == Decimal("0.00")


def test_backtest_refuses_unknown_codes_and_stores_nothing(credit_rules, risk_officer):
    from core.exceptions import InvalidInput
    from risk.stress.models import LeverageBacktest

    with pytest.raises(InvalidInput, match="unknown instruments 999999"):
        leverage_backtest_run(
            package="aggressive",
            codes=["999999"],
            start=date(2016, 7, 4),
            end=date(2016, 7, 15),
            equity=Decimal("100000"),
            actor=risk_officer,
        )
    assert not LeverageBacktest.objects.exists()


def test_the_editor_names_the_bad_parameter_and_saves_nothing(db):
    form = StressScenarioForm(
        data={
            "code": "bad",
            "name": "Bad",
            "kind": "hypothetical",
            "params": '{"horizon_days": 5, "gap": 0.2}',
            "active": "on",
        }
    )
    assert not form.is_valid()
    assert form.errors["params"] == ["params.gap: 0.2 is outside [-0.9, 0.0]"]
    assert not StressScenario.objects.exists()


def test_the_editor_refuses_unknown_keys(db):
    form = StressScenarioForm(
        data={
            "code": "typo",
            "name": "Typo",
            "kind": "historical",
            "params": '{"start": "2016-07-04", "end": "2016-07-08", "proxy": "000333"}',
        }
    )
    assert not form.is_valid()
    assert "params.proxy: unknown parameter" in form.errors["params"][0]


def test_chart_escapes_labels():
    svg = bars_svg([1.0, 2.0], ["<b>", "x"], "sold")
    assert "<b>" not in svg.replace("<svg", "").split("</text>", 1)[1]
    assert "&lt;b&gt;" in svg


def test_days_to_liquidate_and_adjusted_collateral(vanke_bars, make_account):
    vanke = vanke_bars["000002"]
    LiquidityForecast.objects.create(
        instrument=vanke,
        as_of=date(2015, 12, 18),
        target_date=date(2015, 12, 21),
        horizon_days=5,
        model="har",
        adv=Decimal(100_000),
        lower=Decimal(50_000),
        upper=Decimal(150_000),
        coverage=Decimal("0.9"),
        annual_volatility=Decimal("0.40"),
    )
    book = book_of(
        date(2015, 12, 18),
        [make_account(), make_account()],
        cash=[1_000.0, 0.0],
        debt=[0.0, 0.0],
        instruments=[vanke, vanke_bars["000333"]],
        prices=[24.43, 29.45],
        positions=[(0, 0, 50_000.0), (1, 1, 100.0)],
    )
    view = liquidity_view(book)
    # 50,000 / (10% × 100,000) = 5 days; 000333 has no forecast: cannot be relied on.
    assert view.days.tolist() == [5.0, np.inf]
    assert view.haircut[1] == 1.0
    expected_haircut = 0.4 + 2.33 * 0.40 * np.sqrt(4 / 242) + 0.01 * 4
    assert view.haircut[0] == pytest.approx(expected_haircut)
    assert view.adjusted_collateral[0] == pytest.approx(
        1_000 + 50_000 * 24.43 * (1 - expected_haircut)
    )
    assert view.adjusted_collateral[1] == 0.0
