"""From a margin call to the liquidation desk and back: a call below the liquidation line opens a
case whose plan is sent once the sweep commits, and the case's completion closes the call."""

from __future__ import annotations

import pytest
import time_machine

from accounts.enums import ClientStatus
from risk.liquidation.enums import LiquidationStatus
from risk.liquidation.models import Liquidation
from risk.margin import engine
from risk.margin.enums import CallStatus
from risk.margin.models import MarginCall
from tests.custody.trading import at, fill
from tests.risk.liquidation.test_services import (  # noqa: F401 — fixtures
    NEXT,
    leveraged,
    liquidation_orders,
    officer,
)

pytestmark = pytest.mark.django_db


def test_a_call_below_the_liquidation_line_is_liquidated_and_closed_when_restored(
    leveraged,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(at(NEXT, 15, 30), tick=False):
        engine.reset()
        with django_capture_on_commit_callbacks(execute=True):
            engine.sweep(on=NEXT, closing=True)

        call = MarginCall.objects.get(margin_account=leveraged)
        assert call.status == CallStatus.LIQUIDATING
        case = Liquidation.objects.get(margin_account=leveraged)
        assert case.trigger_ref == f"margin-call:{call.pk}"
        assert case.status == LiquidationStatus.EXECUTING
        (order,) = liquidation_orders(leveraged)

        # Another sweep while liquidating opens nothing more and sends nothing more.
        with django_capture_on_commit_callbacks(execute=True):
            engine.sweep(on=NEXT, closing=True)
        assert Liquidation.objects.filter(margin_account=leveraged).count() == 1
        assert len(liquidation_orders(leveraged)) == 1

        with django_capture_on_commit_callbacks(execute=True):
            fill(order, int(order.quantity), "6.50")

        case.refresh_from_db()
        call.refresh_from_db()
        leveraged.client.refresh_from_db()
        assert case.status == LiquidationStatus.COMPLETED
        assert call.status == CallStatus.CLOSED
        assert leveraged.client.status == ClientStatus.ACTIVE
