"""Historical replay of the 000002 (Vanke) resumption on 2016-07-04 over a stored book."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.exceptions import InvalidInput
from risk.stress.enums import ScenarioKind
from risk.stress.models import StressRun, StressScenario
from risk.stress.services import stress_scenario_save, stress_test_run
from tests.risk.stress.conftest import book_of

BOOK_DAY = date(2015, 12, 18)  # last close before the suspension: 000002 at 24.43


@pytest.fixture
def vanke_scenario(risk_officer) -> StressScenario:
    return stress_scenario_save(
        code="vanke-2016-07",
        name="000002 resumption, July 2016",
        kind=ScenarioKind.HISTORICAL,
        params={"start": "2016-07-04", "end": "2016-07-08"},
        actor=risk_officer,
    )


def test_vanke_holders_cannot_sell_for_two_days_and_the_shortfall_is_stored(
    vanke_bars, make_account, vanke_scenario, risk_officer
):
    moderate, caught, other = make_account(), make_account(), make_account()
    vanke, midea = vanke_bars["000002"], vanke_bars["000333"]
    book = book_of(
        BOOK_DAY,
        [moderate, caught, other],
        cash=[0.0, 0.0, 0.0],
        debt=[172_000.0, 218_000.0, 100_000.0],
        instruments=[vanke, midea],
        prices=[24.43, 29.45],
        positions=[(0, 0, 10_000.0), (1, 0, 10_000.0), (2, 1, 5_000.0)],
    )

    run = stress_test_run(scenario=vanke_scenario, on=BOOK_DAY, actor=risk_officer, book=book)

    days = list(run.day_rows.order_by("index"))
    assert [d.date for d in days] == [
        date(2016, 7, 4),
        date(2016, 7, 5),
        date(2016, 7, 6),
        date(2016, 7, 7),
        date(2016, 7, 8),
    ]
    # Two one-price limit-down days: both 000002 holders are under liquidation, nothing sells.
    for day in days[:2]:
        assert day.liquidation_accounts == 2
        assert day.sold_value == Decimal("0.00")
        assert [b["instrument_id"] for b in day.blocked] == [vanke.pk]
    # 2016-07-06 trades (1.03 bn shares): the liquidator sells at 19.80.
    assert days[2].sold_value > 0
    assert days[2].blocked == []
    # The account already at 1.12 when 000002 stopped trading ends with debt above what its
    # shares fetched: 218,000 − 10,000 × 19.80 × (1 − 0.2% costs).
    expected = Decimal("218000") - Decimal("10000") * Decimal("19.80") * Decimal("0.998")
    assert run.total_shortfall == expected.quantize(Decimal("0.01"))
    assert run.shortfall_accounts == 1
    worst = list(run.account_rows.order_by("rank"))
    assert worst[0].margin_account_id == caught.pk
    assert worst[0].shortfall == run.total_shortfall
    assert worst[0].first_liquidation_day == 0
    assert {row.margin_account_id for row in worst} == {caught.pk, moderate.pk}
    assert run.params_used["participation_rate"] == pytest.approx(0.1)


def test_a_replay_without_bars_in_the_window_is_refused_and_stores_nothing(
    vanke_bars, make_account, risk_officer
):
    scenario = stress_scenario_save(
        code="empty-window",
        name="No history",
        kind=ScenarioKind.HISTORICAL,
        params={"start": "2030-01-02", "end": "2030-01-10"},
        actor=risk_officer,
    )
    book = book_of(
        BOOK_DAY,
        [make_account()],
        cash=[0.0],
        debt=[1.0],
        instruments=[vanke_bars["000002"]],
        prices=[24.43],
        positions=[(0, 0, 1.0)],
    )
    with pytest.raises(InvalidInput, match="no bars between 2030-01-02 and 2030-01-10"):
        stress_test_run(scenario=scenario, on=BOOK_DAY, actor=risk_officer, book=book)
    assert StressRun.objects.count() == 0


def test_the_api_shows_a_run_to_staff_only(vanke_bars, make_account, vanke_scenario, risk_officer):
    from rest_framework.test import APIClient

    from tests.factories import UserFactory

    book = book_of(
        BOOK_DAY,
        [make_account()],
        cash=[0.0],
        debt=[218_000.0],
        instruments=[vanke_bars["000002"]],
        prices=[24.43],
        positions=[(0, 0, 10_000.0)],
    )
    run = stress_test_run(scenario=vanke_scenario, on=BOOK_DAY, actor=risk_officer, book=book)
    client = APIClient()
    client.force_authenticate(UserFactory.create())
    assert client.get(f"/api/v1/risk/stress/runs/{run.pk}/").status_code == 403

    client.force_authenticate(risk_officer)
    body = client.get(f"/api/v1/risk/stress/runs/{run.pk}/").json()
    assert body["scenario"] == "vanke-2016-07"
    assert body["total_shortfall"] == str(run.total_shortfall)
    assert [d["sold_value"] for d in body["day_rows"][:2]] == ["0.00", "0.00"]
    assert body["account_rows"][0]["shortfall"] == str(run.total_shortfall)
    scenarios = client.get("/api/v1/risk/stress/scenarios/").json()
    assert scenarios["results"][0]["params"] == {"start": "2016-07-04", "end": "2016-07-08"}
