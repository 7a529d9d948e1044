"""The pure planner: the fewest lots that restore the ratio, and every reason shares stay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.exceptions import InvalidInput
from markets.rules import LotRule
from risk.liquidation.planner import (
    HALTED,
    IN_OPEN_ORDERS,
    LARGEST_FIRST,
    LOSERS_FIRST,
    MOST_LIQUID_FIRST,
    ONE_PRICE_LIMIT_DOWN,
    PARTICIPATION,
    T_PLUS_ONE,
    FeeRates,
    Plan,
    PlanInput,
    PositionInput,
    plan_liquidation,
    reaches,
)

D = Decimal
LOT = LotRule(100, 100)
STAR = LotRule(200, 1)
NO_FEES = FeeRates(D("0"), D("0"), D("0"), D("0"))
FEES = FeeRates(D("0.00025"), D("5.00"), D("0.0005"), D("0.00001"))


def pos(code: str, qty: int, price: str, **kw: Any) -> PositionInput:
    kw.setdefault("sellable", qty)
    kw.setdefault("lots", LOT)
    kw.setdefault("cost_basis", qty * D(price))
    return PositionInput(instrument_id=int(code), code=code, quantity=qty, price=D(price), **kw)


def data(*positions: PositionInput, debt: str, cash: str = "0", **kw: Any) -> PlanInput:
    kw.setdefault("target", D("1.30"))
    kw.setdefault("buffer", D("0"))
    kw.setdefault("order_policy", LOSERS_FIRST)
    kw.setdefault("fees", NO_FEES)
    return PlanInput(cash=D(cash), debt=D(debt), positions=tuple(positions), **kw)


def sold(plan: Plan) -> dict[str, int]:
    return {line.code: line.quantity for line in plan.lines}


def test_the_fewest_whole_lots_that_restore_the_ratio():
    # 10,000 × 12.00 = 120,000 against 100,000 (120%). To reach 130%:
    # (120,000 − V) / (100,000 − V) ≥ 1.3  ⇔  V ≥ 33,333.33  ⇔  2,777.8 shares → 28 lots.
    plan = plan_liquidation(data(pos("600000", 10000, "12.00"), debt="100000"))

    assert sold(plan) == {"600000": 2800}
    assert plan.assets_after == D("86400.00")  # 120,000 − 33,600
    assert plan.debt_after == D("66400.00")
    assert plan.restores and plan.ratio_after is not None and plan.ratio_after >= D("1.3")
    assert (D("120000") - 2700 * 12) / (D("100000") - 2700 * 12) < D("1.3")  # one lot fewer fails


def test_fees_reduce_the_debt_repaid_not_the_assets_sold():
    plan = plan_liquidation(
        data(pos("600000", 10000, "12.00"), debt="100000", fees=FEES, buffer=D("0.05"))
    )
    line = plan.lines[0]
    # A' = A − V,  L' = L − (V − f)
    assert plan.assets_after == D("120000") - line.value
    assert plan.debt_after == D("100000") - line.proceeds
    assert line.costs == FEES.sell_costs(line.value)
    assert plan.goal == D("1.35") and plan.restores
    one_fewer = line.value - 1200
    costs = FEES.sell_costs(one_fewer)
    assert not reaches(D("120000") - one_fewer, D("100000") - one_fewer + costs, D("1.35"))


def test_odd_lot_is_sold_whole_and_first_when_it_is_enough():
    # 130 × 100 = 13,000 against 10,000. 135%: V ≥ 1,428.6 → 14.3 shares → the 30-share odd lot.
    plan = plan_liquidation(data(pos("600001", 130, "100"), debt="10000", target=D("1.35")))
    assert sold(plan) == {"600001": 30}
    # 160%: V ≥ 5,000 → 50 shares → one round lot (never 50 or 120 shares).
    plan = plan_liquidation(data(pos("600001", 130, "100"), debt="10000", target=D("1.60")))
    assert sold(plan) == {"600001": 100}


def test_star_market_sizes_minimum_200_then_single_shares():
    # 1,000 × 10 = 10,000 against 8,000. 145%: V ≥ 3,555.6 → 356 shares (≥ 200, steps of 1).
    plan = plan_liquidation(
        data(pos("688001", 1000, "10", lots=STAR), debt="8000", target=D("1.45"))
    )
    assert sold(plan) == {"688001": 356}
    # 130%: V ≥ 1,333.3 → 134 shares, but a STAR sell is at least 200.
    plan = plan_liquidation(
        data(pos("688001", 1000, "10", lots=STAR), debt="8000", target=D("1.30"))
    )
    assert sold(plan) == {"688001": 200}


def test_t_plus_one_todays_buys_are_not_sold():
    # 150% needs 5,000 shares but only 4,000 were bought before today.
    plan = plan_liquidation(
        data(pos("600000", 10000, "12.00", sellable=4000), debt="100000", target=D("1.50"))
    )
    assert sold(plan) == {"600000": 4000}
    assert not plan.restores
    assert [(u.code, u.quantity, u.reason) for u in plan.unsold] == [("600000", 6000, T_PLUS_ONE)]


def test_halted_and_one_price_limit_down_positions_sell_nothing():
    halted = pos("000001", 5000, "10.00", halt="suspended")
    locked = pos("000002", 5000, "10.00", one_price_limit_down=True, limit_down=D("10.00"))
    free = pos("600000", 1000, "10.00")
    plan = plan_liquidation(data(halted, locked, free, debt="90000", target=D("1.40")))

    assert sold(plan) == {"600000": 1000}
    reasons = {(u.code, u.quantity, u.reason) for u in plan.unsold}
    assert reasons == {("000001", 5000, HALTED), ("000002", 5000, ONE_PRICE_LIMIT_DOWN)}
    assert plan.unsold[0].value == D("50000.00")


def test_client_open_sell_orders_are_left_alone():
    plan = plan_liquidation(
        data(pos("600000", 10000, "12.00", in_client_orders=9000), debt="100000")
    )
    assert sold(plan) == {"600000": 1000}
    assert [(u.quantity, u.reason) for u in plan.unsold] == [(9000, IN_OPEN_ORDERS)]


def test_participation_caps_a_days_selling():
    plan = plan_liquidation(
        data(
            pos("600000", 10000, "12.00", adv=D("15050")),
            debt="100000",
            participation=D("0.10"),
        )
    )
    # 10% of 15,050 = 1,505 shares a day → 1,500 (whole lots); 2,800 would be needed.
    assert sold(plan) == {"600000": 1500}
    assert {(u.reason, u.quantity) for u in plan.unsold} == {(PARTICIPATION, 8495), ("lots", 5)}
    assert not plan.restores


def test_liquidate_last_is_sold_only_when_the_rest_is_not_enough():
    kept = pos("600519", 100, "1500.00", cost_basis=D("200000"))  # the biggest loser
    other = pos("600000", 10000, "12.00")
    plan = plan_liquidation(data(kept, other, debt="220000", liquidate_last=frozenset({"600519"})))
    # 270,000 / 220,000; 130% needs V ≥ 53,333.33 → 4,444.4 shares → 45 lots of the other stock.
    assert sold(plan) == {"600000": 4500}
    assert not plan.lines[0].liquidate_last

    plan = plan_liquidation(
        data(kept, other, debt="220000", target=D("2.0"), liquidate_last=frozenset({"600519"}))
    )
    # 200% needs V ≥ 170,000: all of the other (120,000), then 100 of the kept one (≥ 50,000).
    assert sold(plan) == {"600000": 10000, "600519": 100}
    assert plan.lines[1].liquidate_last


def test_order_policy_losers_first_or_largest_first():
    loser = pos("000001", 1000, "10.00", cost_basis=D("15000"))  # −5,000, value 10,000
    big = pos("600000", 3000, "10.00", cost_basis=D("20000"))  # +10,000, value 30,000
    base: dict[str, Any] = {"debt": "30000", "target": D("1.40")}

    plan = plan_liquidation(data(loser, big, order_policy=LOSERS_FIRST, **base))
    assert list(sold(plan))[0] == "000001"

    plan = plan_liquidation(data(loser, big, order_policy=LARGEST_FIRST, **base))
    assert list(sold(plan)) == ["600000"]


def test_most_liquid_first_by_traded_value():
    thin = pos("000001", 5000, "10.00", adv=D("10000"))
    deep = pos("600000", 5000, "10.00", adv=D("5000000"))
    plan = plan_liquidation(
        data(thin, deep, debt="75000", order_policy=MOST_LIQUID_FIRST, target=D("1.40"))
    )
    assert sold(plan) == {"600000": 1300}


def test_open_liquidation_orders_count_first_and_only_the_rest_is_added():
    plan = plan_liquidation(
        data(
            pos("600000", 10000, "12.00", committed=2000, committed_order_ids=(7,)),
            debt="100000",
        )
    )
    assert [(ln.quantity, ln.committed, ln.order_ids) for ln in plan.lines] == [
        (2000, True, (7,)),
        (800, False, ()),
    ]
    assert [ln.quantity for ln in plan.new_lines] == [800]


def test_collateral_below_the_debt_sells_everything_and_reports_the_uncovered_debt():
    plan = plan_liquidation(
        data(pos("000002", 10000, "19.80"), debt="210000", cash="1000", fees=FEES)
    )
    line = plan.lines[0]
    assert line.quantity == 10000 and not plan.restores
    assert plan.uncovered == D("210000") - line.proceeds - D("1000")


def test_nothing_to_sell_when_the_ratio_is_already_at_the_goal():
    plan = plan_liquidation(data(pos("600000", 10000, "14.00"), debt="100000"))
    assert plan.lines == () and plan.restores


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"order_policy": "random"}, "order_policy"),
        ({"target": D("0")}, "target"),
        ({"participation": D("1.5")}, "participation"),
    ],
)
def test_bad_input_is_refused(kwargs, field):
    with pytest.raises(InvalidInput) as refused:
        plan_liquidation(data(pos("600000", 100, "10.00"), debt="1000", **kwargs))
    assert refused.value.field == field


def test_committed_beyond_the_sellable_quantity_is_refused():
    with pytest.raises(InvalidInput, match="committed"):
        plan_liquidation(data(pos("600000", 100, "10.00", committed=200), debt="1000"))
