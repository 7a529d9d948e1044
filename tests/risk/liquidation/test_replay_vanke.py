"""A leveraged China Vanke (000002) holder through the 2016 resumption, on the real bars.

The stock was suspended after 2015-12-18 (close 24.43) and resumed on 2016-07-04 with two
one-price limit-down days (21.99, then 19.79: no bids at any price), then traded again on
07-06 (low 19.10, high 20.78). The holder owes CNY 200,000 against 10,000 shares: the case opens
on 07-04 and is executed at once, nothing can be sold for two days (recorded with the reason and
the debt the shares no longer cover), the shares are sold on 07-06 when the limit opens, and the
proceeds do not cover the debt: the rest becomes a shortfall receivable and a case (穿仓).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.enums import StaffRole
from core.exceptions import IllegalTransition
from custody.brokers import SimulatorBroker, order_execute
from custody.enums import ChartCode, EntryKind, OrderPurpose
from custody.models import Order, Position
from custody.selectors import natural_balances
from custody.services.ledger import credit, debit, post_entry
from custody.services.trading_reconcile import trading_differences
from custody.valuation import account_valuation
from markets.fees import trade_costs
from markets.models import Instrument
from risk.liquidation.enums import LiquidationStatus
from risk.liquidation.models import ShortfallCase
from risk.liquidation.planner import ONE_PRICE_LIMIT_DOWN
from risk.liquidation.services import (
    liquidation_execute,
    liquidation_open,
    liquidations_close_day,
    liquidations_resume,
)
from tests.custody.factories import InstrumentFactory
from tests.custody.trading import fund, make_trader
from tests.risk.liquidation.conftest import book_buy

INFINITE = Decimal("Infinity")  # no debt: the ratio is unbounded

D = Decimal
BOUGHT_ON = date(2015, 12, 18)
RESUMED, SECOND, OPENED = date(2016, 7, 4), date(2016, 7, 5), date(2016, 7, 6)
SHARED = Path(settings.BASE_DIR).parent / "shared" / "data" / "ashare" / "000002.csv"
FIXTURE = Path(settings.BASE_DIR) / "markets" / "fixtures" / "ashare" / "000002.csv"


@pytest.fixture
def vanke(db) -> Instrument:
    instrument = InstrumentFactory.create(
        code="000002", exchange="XSHE", board="main", name="万科A China Vanke"
    )
    # The shared data set when it is beside the checkout; the same file ships as a fixture.
    call_command("import_bars", str(SHARED if SHARED.exists() else FIXTURE), "--code", "000002")
    return instrument


@pytest.fixture
def holder(make_staff, vanke):
    """10,000 × 24.43 bought on 2015-12-18, CNY 200,000 owed, CNY 1,334 cash left."""
    costs = trade_costs(side="buy", value=D("244300"), trade_date=BOUGHT_ON).total
    # Exactly the cost of the buy, then whole yuan: on SQLite the running balances are added
    # as binary floats, and a cash balance taken exactly to zero must have no float residue.
    account = make_trader(make_staff, cash=str(D("244300") + costs), limit=None)
    book_buy(account, vanke, 10000, "24.43", BOUGHT_ON)
    fund(account, "1334")
    # The financing as the ledger holds it: drawn, and the cash it freed taken out.
    for key, legs in (
        (
            "draw",
            [
                debit(ChartCode.FINANCED_PRINCIPAL, D("200000"), account),
                credit(ChartCode.CLIENT_CASH, D("200000"), account),
            ],
        ),
        (
            "out",
            [
                debit(ChartCode.CLIENT_CASH, D("200000"), account),
                credit(ChartCode.CUSTODIAN_BANK, D("200000")),
            ],
        ),
    ):
        post_entry(
            key=f"vanke-{key}", kind=EntryKind.ADJUSTMENT, business_date=BOUGHT_ON, legs=legs
        )
    return account


def day_record(case, day):
    return case.days.get(day=day)


@pytest.mark.django_db
def test_one_price_days_sell_nothing_then_the_sale_leaves_a_shortfall(
    holder, vanke, make_staff, django_capture_on_commit_callbacks
):
    officer = make_staff(StaffRole.RISK_OFFICER)
    cash = natural_balances(holder)[ChartCode.CLIENT_CASH]
    assert (account_valuation(margin_account=holder, on=RESUMED).ratio or INFINITE) < D("1.30")

    # 07-04: the case opens and is executed; locked at limit-down, nothing is sent.
    case = liquidation_open(
        margin_account=holder, trigger_ref="margin-call:vanke", actor=officer, on=RESUMED
    )
    result = liquidation_execute(liquidation=case, actor=officer, idempotency_key="v1", on=RESUMED)
    assert result.order_ids == ()
    case.refresh_from_db()
    assert case.status == LiquidationStatus.EXECUTING
    assert (case.target, case.order_policy) == (D("1.6"), "losers_first")  # policy fallback
    record = day_record(case, RESUMED)
    assert [(u["code"], u["quantity"], u["reason"]) for u in record.unsold] == [
        ("000002", 10000, ONE_PRICE_LIMIT_DOWN)
    ]
    assert record.unsold_value == D("219900.00") and record.uncovered == 0

    # The close, then 07-05: one price again, at 19.79; now the shares no longer cover the debt.
    liquidations_close_day(business_date=RESUMED)
    assert liquidations_resume(on=SECOND) == 1
    record = day_record(case, SECOND)
    assert record.unsold[0]["reason"] == ONE_PRICE_LIMIT_DOWN
    assert record.unsold_value == D("197900.00")
    assert record.uncovered == D("200000") - D("197900") - cash
    assert not Order.objects.filter(purpose=OrderPurpose.LIQUIDATION).exists()

    # 07-06: the limit opens. Everything is sold; the simulator fills on the real bar.
    liquidations_close_day(business_date=SECOND)
    liquidations_resume(on=OPENED)
    (order,) = Order.objects.filter(purpose=OrderPurpose.LIQUIDATION)
    assert (order.quantity, order.limit_price) == (10000, D("17.81"))  # 19.79 × 0.9
    with django_capture_on_commit_callbacks(execute=True):
        fills, _ = order_execute(
            order=order, broker=SimulatorBroker(participation=D("0.10")), day=OPENED
        )
    assert sum(f.quantity for f in fills) == 10000
    assert not Position.objects.filter(margin_account=holder, quantity__gt=0).exists()

    case.refresh_from_db()
    assert case.status == LiquidationStatus.SHORTFALL
    shortfall = ShortfallCase.objects.get(liquidation=case)
    balances = natural_balances(holder)
    assert balances[ChartCode.SHORTFALL_RECEIVABLE] == shortfall.amount > 0
    assert balances.get(ChartCode.FINANCED_PRINCIPAL, D(0)) == 0
    assert balances.get(ChartCode.CLIENT_CASH, D(0)) == 0  # the last cash repaid what it could
    proceeds = sum(f.quantity * f.price for f in fills) - sum(
        f.commission + f.stamp_duty + f.transfer_fee for f in fills
    )
    assert shortfall.amount == D("200000") - proceeds - cash
    assert shortfall.entry.kind == EntryKind.SHORTFALL
    assert account_valuation(margin_account=holder, on=OPENED).ratio is None
    assert trading_differences() == []

    # Nothing more to do: a rerun refuses and posts nothing.
    with pytest.raises(IllegalTransition):
        liquidation_execute(liquidation=case, actor=officer, idempotency_key="v9", on=OPENED)
    assert ShortfallCase.objects.count() == 1
