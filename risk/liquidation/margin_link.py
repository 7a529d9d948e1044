"""Where margin calls meet the liquidation desk (registered from ``RiskConfig.ready``).

A call that moves to liquidation (its deadline passed, or the ratio fell below the liquidation
line) opens a liquidation case with its plan; once the call's transaction commits, the plan's
orders go out automatically unless someone holds the case. When a case completes, the call is
re-checked with exact Decimal so it closes and the client returns to active.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from core.transactions import call_on_commit
from risk.liquidation.enums import LiquidationStatus
from risk.liquidation.models import Liquidation
from risk.liquidation.services import liquidation_execute, liquidation_open
from risk.margin import hooks

CALL_TRIGGER_PREFIX = "margin-call:"


def liquidate_for_call(call: Any, *, actor: Any) -> None:
    case = liquidation_open(
        margin_account=call.margin_account,
        trigger_ref=f"{CALL_TRIGGER_PREFIX}{call.pk}",
        actor=actor,
    )
    call_on_commit(execute_automatically, case.pk, timezone.localdate())


def execute_automatically(case_pk: int, day: date) -> None:
    """Send the plan unless the case is held or already over; one send per case and day."""
    case = Liquidation.objects.filter(pk=case_pk).first()
    if case is None or case.held or case.status != LiquidationStatus.PLANNED:
        return
    liquidation_execute(liquidation=case, actor=None, idempotency_key=f"auto-{case_pk}-{day}")


def register() -> None:
    hooks.register_liquidation_starter(liquidate_for_call)
