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
from risk.stress.models import (
    LeverageBacktest,
    LiquidityForecast,
    LiquidityModelEvaluation,
    RegimeReading,
    StressRun,
    StressRunAccount,
    StressRunDay,
    StressScenario,
)

__all__ = [
    "LeverageBacktest",
    "LiquidateLast",
    "Liquidation",
    "LiquidationDay",
    "LiquidationPlan",
    "LiquidationPlanLine",
    "LiquidityForecast",
    "LiquidityModelEvaluation",
    "MarginCall",
    "MarginCallOverride",
    "MarginNotification",
    "RegimeReading",
    "ShortfallCase",
    "StressRun",
    "StressRunAccount",
    "StressRunDay",
    "StressScenario",
]
