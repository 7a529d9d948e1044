"""The demo clears its last trading days and shows statements; a second seed reuses them.

(The whole book, from contracts to statements, is checked by ``tests/custody/test_demo.py``.)
"""

from __future__ import annotations

from datetime import date

import pytest

from core.demo import DemoContext
from settlement import demo
from settlement.enums import RunStatus
from settlement.models import ClearingRun, DailyStatement
from tests.settlement.conftest import evening

pytestmark = pytest.mark.django_db


def test_the_demo_clears_four_days_idempotently(define_package, borrower, clock, ops):
    borrower(define_package("p365", "0.0600", "ACT/365"), principal="100000.00")
    saturday = date(2026, 3, 7)
    clock.move_to(evening(saturday))
    ctx = DemoContext(today=saturday, staff={"ops1": ops}, log=lambda _text: None)
    demo.seed(ctx)
    days = [date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6)]
    runs = ClearingRun.objects.order_by("business_date")
    assert [(r.business_date, r.status) for r in runs] == [(d, RunStatus.COMPLETED) for d in days]
    statement = DailyStatement.objects.get(business_date=days[-1])
    assert statement.financed_principal == 100000  # drawn before the cleared days
    assert statement.interest_today > 0  # Friday: three days' interest
    demo.seed(ctx)
    assert ClearingRun.objects.count() == 4
    assert DailyStatement.objects.count() == 4
