"""Risk models (re-exported so Django finds them in the ``risk`` app)."""

from risk.margin.models import MarginCall, MarginCallOverride, MarginNotification
from risk.stress.models import (
    LeverageBacktest,
    LiquidityForecast,
    RegimeReading,
    StressRun,
    StressRunAccount,
    StressRunDay,
    StressScenario,
)

__all__ = [
    "LeverageBacktest",
    "LiquidityForecast",
    "MarginCall",
    "MarginCallOverride",
    "MarginNotification",
    "RegimeReading",
    "StressRun",
    "StressRunAccount",
    "StressRunDay",
    "StressScenario",
]
