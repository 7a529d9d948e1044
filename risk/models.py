"""Risk's models live in their packages; importing them here registers them with Django."""

from risk.liquidation.models import (
    LiquidateLast,
    Liquidation,
    LiquidationDay,
    LiquidationPlan,
    LiquidationPlanLine,
    ShortfallCase,
)
from risk.margin.models import MarginCall, MarginCallOverride, MarginNotification

__all__ = [
    "LiquidateLast",
    "Liquidation",
    "LiquidationDay",
    "LiquidationPlan",
    "LiquidationPlanLine",
    "MarginCall",
    "MarginCallOverride",
    "MarginNotification",
    "ShortfallCase",
]
