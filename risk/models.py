"""Risk's models live beside their code; importing them here lets Django discover them."""

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
    "RegimeReading",
    "StressRun",
    "StressRunAccount",
    "StressRunDay",
    "StressScenario",
]
