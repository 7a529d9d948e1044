"""The liquidation policy in force on a day (dated parameter set ``liquidation-policy``).

The target ratio and the selling order are the package's (``topup_target``,
``liquidation_order``); the buffer above the target, the participation cap and the volume
window are firm policy. A day before any package version was in force (a replay of old history)
uses the policy's fallback target and order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core import params

SET_KEY = "liquidation-policy"


@dataclass(frozen=True)
class LiquidationPolicy:
    version_id: int
    buffer: Decimal
    participation: Decimal
    adv_days: int
    fallback_target: Decimal
    fallback_order: str


def liquidation_policy(on: date) -> LiquidationPolicy:
    snap = params.snapshot(SET_KEY, on)
    return LiquidationPolicy(
        version_id=snap.version_id,
        buffer=snap["buffer"],
        participation=snap["participation"],
        adv_days=int(snap["adv_days"]),
        fallback_target=snap["fallback_target"],
        fallback_order=str(snap["fallback_order"]),
    )
