"""Parameter sets of the liquidity outputs, the stress tests and the regime indicator.

Their schemas are frozen into ``risk/migrations/0001_stress.py``; the starting values are the
firm's, installed there as the first approved version and changed only through maker-checker.
"""

from __future__ import annotations

from typing import Any

LIQUIDITY_SET = "liquidity-outputs"
REGIME_INDICATOR_SET = "liquidity-regime"

LIQUIDITY_SCHEMA: dict[str, Any] = {
    "participation_rate": {
        "type": "decimal",
        "min": "0.001",
        "max": "1",
        "label": "Share of a day's volume a liquidator may take (days to liquidate, stress)",
    },
    "liquidation_cost_rate": {
        "type": "decimal",
        "min": "0",
        "max": "0.1",
        "label": "Costs of a forced sale as a fraction of proceeds (stress tests)",
    },
    "forecast_model": {
        "type": "choice",
        "choices": ["rolling", "har", "ml"],
        "label": "Model of the published volume forecast",
    },
    "forecast_horizon_days": {
        "type": "integer",
        "min": 1,
        "max": 60,
        "label": "Days whose average volume is forecast",
    },
    "forecast_coverage": {
        "type": "decimal",
        "min": "0.5",
        "max": "0.99",
        "label": "Central probability of the forecast interval",
    },
    "volatility_multiplier": {
        "type": "decimal",
        "min": "0",
        "max": "10",
        "label": "Standard deviations of price move covered while liquidating",
    },
    "days_coefficient": {
        "type": "decimal",
        "min": "0",
        "max": "1",
        "label": "Haircut added per day of liquidation beyond the grace days",
    },
    "grace_days": {
        "type": "decimal",
        "min": "0",
        "max": "20",
        "label": "Days of liquidation already priced into the base haircut",
    },
    "max_haircut": {
        "type": "decimal",
        "min": "0.01",
        "max": "1",
        "label": "Largest total liquidity haircut",
    },
    "periods_per_year": {
        "type": "integer",
        "min": 200,
        "max": 366,
        "label": "Trading days per year (annualising volatility)",
    },
}

REGIME_INDICATOR_SCHEMA: dict[str, Any] = {
    "reference_code": {
        "type": "string",
        "label": "Instrument whose bars describe the market (six-digit code)",
    },
    "funding_series": {
        "type": "string",
        "label": "Funding series key for the funding signal (empty: none)",
    },
    "short_window": {"type": "integer", "min": 1, "max": 60, "label": "Short window (days)"},
    "baseline_window": {"type": "integer", "min": 10, "max": 500, "label": "Baseline (days)"},
    **{
        f"{signal}_{level}": {
            "type": "decimal",
            "min": "-100",
            "max": "100",
            "label": f"{signal}: {level} threshold",
        }
        for signal in ("vol_z", "volume_drop", "amihud_jump", "funding_z")
        for level in ("stressed", "crisis")
    },
    "auto_apply_up_to": {
        "type": "choice",
        "choices": ["none", "stressed", "crisis"],
        "label": (
            "Tightening the indicator may apply without a second approval, up to this regime "
            "(none: every change waits for a risk officer)"
        ),
    },
}

LIQUIDITY_DEFAULTS: dict[str, Any] = {
    "participation_rate": "0.10",
    "liquidation_cost_rate": "0.002",
    "forecast_model": "har",
    "forecast_horizon_days": 5,
    "forecast_coverage": "0.90",
    "volatility_multiplier": "2.33",
    "days_coefficient": "0.01",
    "grace_days": "1",
    "max_haircut": "1",
    "periods_per_year": 242,
}

REGIME_INDICATOR_DEFAULTS: dict[str, Any] = {
    "reference_code": "000001",
    "funding_series": "gc001",
    "short_window": 5,
    "baseline_window": 120,
    "vol_z_stressed": "2",
    "vol_z_crisis": "3.5",
    "volume_drop_stressed": "0.5",
    "volume_drop_crisis": "1",
    "amihud_jump_stressed": "1",
    "amihud_jump_crisis": "1.8",
    "funding_z_stressed": "2.5",
    "funding_z_crisis": "4",
    "auto_apply_up_to": "none",
}
