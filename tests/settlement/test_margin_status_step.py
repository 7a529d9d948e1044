"""Margin status at the close, as a clearing step: the night's debt is checked against the lines."""

from __future__ import annotations

import pytest

from risk.margin.enums import CallStatus
from risk.margin.models import MarginCall
from settlement.enums import RunStatus
from settlement.models import ClearingStep
from settlement.services import clearing_run
from tests.settlement.conftest import FRIDAY, evening

pytestmark = pytest.mark.django_db


def test_an_account_below_its_warning_line_at_the_close_gets_one_call(
    define_package, borrower, clock
):
    package = define_package("p365", "0.0600", "ACT/365")
    # Cash 1,350,000 (350,000 own + 1,000,000 drawn) against 1,000,000 owed: 135%, below the
    # balanced warning line (140%) and above the liquidation line (130%).
    below = borrower(package, cash="350000.00")
    healthy = borrower(package)  # 150%
    clock.move_to(evening(FRIDAY))

    run = clearing_run(business_date=FRIDAY)

    assert run.status == RunStatus.COMPLETED
    step = ClearingStep.objects.get(run=run, key="margin_status")
    assert step.rows_written == 1  # one account changed status; the healthy one did not
    call = MarginCall.objects.get(margin_account=below)
    assert call.status == CallStatus.ISSUED
    assert call.due_on is not None and call.due_on > FRIDAY
    assert not MarginCall.objects.filter(margin_account=healthy).exists()

    clearing_run(business_date=FRIDAY, rerun=True)

    assert MarginCall.objects.filter(margin_account=below).count() == 1
