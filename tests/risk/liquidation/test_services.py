"""Liquidation cases: open (plan v1), execute through order_submit, re-plan on fills, hold,
complete, idempotency, and bad input that changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.enums import StaffRole
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from custody.enums import OrderChannel, OrderPurpose, OrderStatus
from custody.models import Order
from custody.services.orders import orders_expire
from custody.valuation import account_valuation
from markets.fees import trade_costs
from markets.rules import RuleBook
from risk.liquidation.enums import LiquidationStatus
from risk.liquidation.inputs import fee_rates
from risk.liquidation.models import LiquidateLast, Liquidation, LiquidationPlan
from risk.liquidation.services import (
    liquidation_cancel,
    liquidation_execute,
    liquidation_hold,
    liquidation_open,
    liquidation_release,
    liquidation_simulate,
    liquidations_close_day,
    liquidations_resume,
)
from tests.custody.trading import TODAY, bar, fill, make_trader, stock
from tests.risk.liquidation.conftest import book_buy

INFINITE = Decimal("Infinity")  # no debt: the ratio is unbounded

D = Decimal
NEXT = date(2026, 3, 3)
AFTER = date(2026, 3, 4)


@pytest.fixture
def leveraged(credit_rules, make_staff):
    """44,000 own cash, 20,000 × 7.20 bought today (about 100,046 financed); tomorrow the stock
    closes at 6.50: 130,000 / 100,046 ≈ 129.9%, below the 130% line (package *balanced*:
    top-up target 160%, largest positions first)."""
    account = make_trader(make_staff, cash="44000", limit="500000")
    a = stock("600000", "7.20")
    book_buy(account, a, 20000, "7.20", TODAY)
    bar(a, TODAY, "7.20", "7.20", "7.20", "7.20", "5000000")
    bar(a, NEXT, "7.00", "7.00", "6.50", "6.50", "5000000")
    return account


@pytest.fixture
def officer(make_staff):
    return make_staff(StaffRole.RISK_OFFICER)


def liquidation_orders(account) -> list[Order]:
    return list(
        Order.objects.filter(margin_account=account, purpose=OrderPurpose.LIQUIDATION).order_by(
            "pk"
        )
    )


@pytest.mark.django_db
def test_open_simulates_plan_v1_and_sends_nothing(leveraged, officer):
    assert (account_valuation(margin_account=leveraged, on=NEXT).ratio or INFINITE) < D("1.30")

    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )

    assert case.status == LiquidationStatus.PLANNED
    assert (case.target, case.buffer, case.order_policy) == (D("1.6"), D("0.05"), "largest_first")
    plan = case.current_plan()
    assert plan is not None
    assert plan.version == 1 and plan.on == NEXT and plan.restores
    line = plan.lines.get()
    # (130,000 − V) / (100,046 − V + f) ≥ 1.65 → V ≥ 54,1xx → 8,400 shares at 6.50.
    assert (line.instrument.code, line.quantity, line.price) == ("600000", 8400, D("6.50"))
    assert line.limit_price == D("6.48")  # the day's limit-down: a marketable sell
    assert line.order is None and liquidation_orders(leveraged) == []
    assert plan.ratio_before is not None and plan.ratio_after is not None
    assert plan.ratio_before < D("1.30") <= D("1.65") <= plan.ratio_after
    assert case.days.get(day=NEXT).unsold == []


@pytest.mark.django_db
def test_open_is_idempotent_and_the_database_allows_one_open_case(leveraged, officer):
    first = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )
    again = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:2", actor=officer, on=NEXT
    )
    assert again.pk == first.pk and Liquidation.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Liquidation.objects.create(
            margin_account=leveraged,
            trigger_ref="x",
            opened_on=NEXT,
            target=D("1.6"),
            buffer=D("0"),
            order_policy="losers_first",
        )


@pytest.mark.django_db
def test_execute_sends_the_shown_plan_through_order_submit_once_per_key(leveraged, officer):
    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )

    result = liquidation_execute(liquidation=case, actor=officer, idempotency_key="k1", on=NEXT)

    (order,) = liquidation_orders(leveraged)
    assert result.order_ids == (order.pk,) and not result.replayed
    assert result.plan.version == 1  # nothing changed since it was shown: the same plan
    assert (order.side, order.quantity, order.limit_price) == ("sell", 8400, D("6.48"))
    assert (order.status, order.channel) == (OrderStatus.ACCEPTED, OrderChannel.LIQUIDATION)
    assert order.liquidation_ref == f"liquidation:{case.pk}"
    assert result.plan.lines.get().order == order
    case.refresh_from_db()
    assert case.status == LiquidationStatus.EXECUTING

    rerun = liquidation_execute(liquidation=case, actor=officer, idempotency_key="k1", on=NEXT)
    assert rerun.replayed and rerun.order_ids == (order.pk,)
    assert liquidation_orders(leveraged) == [order]

    # Another key while the order is open: it counts as committed, nothing new is needed.
    other = liquidation_execute(liquidation=case, actor=officer, idempotency_key="k2", on=NEXT)
    assert other.order_ids == () and liquidation_orders(leveraged) == [order]
    assert other.plan.lines.get().committed


@pytest.mark.django_db
def test_partial_fill_replans_and_the_last_fill_completes_the_case(
    leveraged, officer, django_capture_on_commit_callbacks
):
    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )
    liquidation_execute(liquidation=case, actor=officer, idempotency_key="k1", on=NEXT)
    (order,) = liquidation_orders(leveraged)

    with django_capture_on_commit_callbacks(execute=True):
        fill(order, 4000, "6.50")
    plan = case.current_plan()
    assert plan is not None
    assert plan.version == 2 and "partly filled" in plan.reason
    # The open remainder is committed (linked to its order); 6.50 still holds: nothing added.
    assert [(ln.quantity, ln.committed, ln.order_id) for ln in plan.lines.all()] == [
        (4400, True, order.pk)
    ]
    assert len(liquidation_orders(leveraged)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        fill(order, 4400, "6.50")
    case.refresh_from_db()
    assert case.status == LiquidationStatus.COMPLETED
    assert (account_valuation(margin_account=leveraged, on=NEXT).ratio or INFINITE) >= D("1.60")


@pytest.mark.django_db
def test_the_unfilled_remainder_is_replanned_and_sent_the_next_trading_day(
    leveraged, officer, django_capture_on_commit_callbacks
):
    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )
    liquidation_execute(liquidation=case, actor=officer, idempotency_key="k1", on=NEXT)
    (order,) = liquidation_orders(leveraged)
    with django_capture_on_commit_callbacks(execute=True):
        fill(order, 4000, "6.50")
    orders_expire(trade_date=NEXT)  # the close: the rest of the day order expires

    assert liquidations_close_day(business_date=NEXT) == 1
    assert liquidations_close_day(business_date=NEXT) == 0  # once per day
    plan = case.current_plan()
    assert plan is not None
    assert plan.on == AFTER and "unfilled at the close" in plan.reason
    assert [(ln.quantity, ln.committed) for ln in plan.lines.all()] == [(4400, False)]

    assert liquidations_resume(on=AFTER) == 1
    assert liquidations_resume(on=AFTER) == 0  # the day's key: nothing sent twice
    orders = liquidation_orders(leveraged)
    assert [(o.quantity, o.trade_date, o.limit_price) for o in orders] == [
        (8400, NEXT, D("6.48")),
        (4400, AFTER, D("5.85")),  # limit-down on the 6.50 close
    ]


@pytest.mark.django_db
def test_held_case_sends_nothing_until_released(leveraged, officer):
    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )
    liquidation_hold(liquidation=case, actor=officer, reason="client wiring money today")

    with pytest.raises(IllegalTransition, match="held \\(client wiring money today\\)"):
        liquidation_execute(liquidation=case, actor=officer, idempotency_key="k1", on=NEXT)
    assert liquidation_orders(leveraged) == []
    case.refresh_from_db()
    assert case.status == LiquidationStatus.PLANNED

    liquidation_release(liquidation=case, actor=officer, reason="the money did not come")
    liquidation_execute(liquidation=case, actor=officer, idempotency_key="k2", on=NEXT)
    assert len(liquidation_orders(leveraged)) == 1


@pytest.mark.django_db
def test_execute_needs_the_permission_and_changes_nothing_without_it(
    leveraged, officer, make_staff
):
    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )
    ops = make_staff(StaffRole.OPERATIONS)
    with pytest.raises(PermissionRefused):
        liquidation_execute(liquidation=case, actor=ops, idempotency_key="k1", on=NEXT)
    case.refresh_from_db()
    assert case.status == LiquidationStatus.PLANNED and liquidation_orders(leveraged) == []


@pytest.mark.django_db
def test_cancel_withdraws_the_open_orders(leveraged, officer):
    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )
    liquidation_execute(liquidation=case, actor=officer, idempotency_key="k1", on=NEXT)
    liquidation_cancel(liquidation=case, actor=officer, reason="client repaid in full")
    case.refresh_from_db()
    assert case.status == LiquidationStatus.CANCELLED
    assert [o.status for o in liquidation_orders(leveraged)] == [OrderStatus.CANCELLED]
    with pytest.raises(IllegalTransition):
        liquidation_execute(liquidation=case, actor=officer, idempotency_key="k9", on=NEXT)


@pytest.mark.django_db
def test_bad_input_changes_nothing(leveraged, officer, make_staff):
    with pytest.raises(InvalidInput, match="triggered"):
        liquidation_open(margin_account=leveraged, trigger_ref="  ", actor=officer, on=NEXT)
    debt_free = make_trader(make_staff, cash="1000", limit=None)
    with pytest.raises(InvalidInput, match="owes nothing"):
        liquidation_open(
            margin_account=debt_free, trigger_ref="margin-call:9", actor=officer, on=NEXT
        )
    assert Liquidation.objects.count() == 0 and LiquidationPlan.objects.count() == 0
    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )
    with pytest.raises(InvalidInput, match="say why"):
        liquidation_hold(liquidation=case, actor=officer, reason="")
    case.refresh_from_db()
    assert not case.held


@pytest.mark.django_db
def test_liquidate_last_is_kept_when_the_rest_restores_the_ratio(credit_rules, make_staff, officer):
    account = make_trader(make_staff, cash="44000", limit="500000")
    a, b = stock("600000", "7.20"), stock("600036", "7.20")
    for inst in (a, b):
        book_buy(account, inst, 10000, "7.20", TODAY)
        bar(inst, NEXT, "7.00", "7.00", "6.50", "6.50", "5000000")
    LiquidateLast.objects.create(margin_account=account, instrument=a)
    plan = liquidation_simulate(margin_account=account, on=NEXT)
    assert [(ln.code, ln.liquidate_last) for ln in plan.lines] == [("600036", False)]


@pytest.mark.django_db
def test_seller_costs_match_the_markets_fee_rules(leveraged):
    rates = fee_rates(leveraged, NEXT, RuleBook.load())
    for value in (D("1000.00"), D("54600.00"), D("1234567.89")):
        costs = trade_costs(side="sell", value=value, trade_date=NEXT, commission_rate=D("0.0003"))
        assert rates.sell_costs(value) == costs.total


@pytest.mark.django_db
def test_console_shows_the_plan_simulates_and_executes_once(leveraged, officer):
    from tests.custody.test_console import console

    case = liquidation_open(
        margin_account=leveraged, trigger_ref="margin-call:1", actor=officer, on=NEXT
    )
    # The console acts on today's date: plan v1 is for NEXT, so simulate and show both.
    browser = console(officer)
    page = browser.get(f"/console/risk/liquidation/{case.pk}/change/").content.decode()
    assert "Current plan: version 1" in page and "8400" in page
    simulated = browser.get(
        "/console/risk/liquidation/simulate/", {"margin_account": leveraged.pk, "on": "2026-03-03"}
    ).content.decode()
    assert "8400" in simulated and "6.48" in simulated
    assert browser.get("/console/risk/shortfallcase/").status_code == 200
