"""Where margin calls meet the liquidation desk (registered from ``RiskConfig.ready``).

A call that moves to liquidation (its deadline passed, or the ratio fell below the liquidation
line) is handed to a worker once the sweep's transaction commits: the sweep only persists status
changes, and planning and sending orders for hundreds of accounts on a bad day must not hold it
up. The worker opens a liquidation case with its plan and sends the plan's orders unless someone
holds the case; both steps are idempotent, so a redelivered task changes nothing. When a case
completes, the call is re-checked with exact Decimal so it closes and the client returns to
active (``risk.liquidation.services``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from core.transactions import call_on_commit
from risk.liquidation.enums import LiquidationStatus
from risk.liquidation.models import Liquidation
from risk.liquidation.services import liquidation_execute, liquidation_open
from risk.liquidation.tasks import liquidation_start_for_call
from risk.margin import hooks
from risk.margin.enums import CallStatus
from risk.margin.models import MarginCall

CALL_TRIGGER_PREFIX = "margin-call:"


def liquidate_for_call(call: MarginCall, *, actor: Any) -> None:
    call_on_commit(liquidation_start_for_call.delay, call.pk, timezone.localdate().isoformat())


def liquidation_start(*, call_id: int, day: date) -> Liquidation | None:
    """Open the case for a call in liquidation and send its plan (unless held or over)."""
    call = MarginCall.objects.select_related("margin_account").filter(pk=call_id).first()
    if call is None or call.status != CallStatus.LIQUIDATING:
        return None  # cured or closed since: nothing to sell
    case = liquidation_open(
        margin_account=call.margin_account,
        trigger_ref=f"{CALL_TRIGGER_PREFIX}{call.pk}",
        actor=None,
        on=day,
    )
    if not case.held and case.status == LiquidationStatus.PLANNED:
        liquidation_execute(
            liquidation=case, actor=None, idempotency_key=f"auto-{case.pk}-{day}", on=day
        )
    return case


def register() -> None:
    hooks.register_liquidation_starter(liquidate_for_call)
