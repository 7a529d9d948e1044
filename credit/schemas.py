"""Typed schemas of the parameter sets credit owns (see ``core.params.schema``).

The migration ``0002_parameter_sets`` stores a frozen copy of each; a test keeps them equal.
"""

from __future__ import annotations

from typing import Any

from accounts.enums import ProductRiskLevel
from credit.enums import DayCount, ExpiryBasis, LiquidationOrder, Regime

_RATE = {"type": "decimal", "min": "0", "max": "1"}
_LINE = {"type": "decimal", "min": "1", "max": "10"}

REGULATORY_SCHEMA: dict[str, Any] = {
    "financing_margin_ratio_min": {
        "type": "decimal",
        "min": "0.01",
        "max": "10",
        "label": "Minimum financing margin ratio for new financing (own margin ÷ financed)",
    },
    "haircut_cap_index_constituent": {**_RATE, "label": "Haircut cap: SSE 180 / SZSE 100 stocks"},
    "haircut_cap_other_ashare": {**_RATE, "label": "Haircut cap: other A-shares"},
    "haircut_cap_etf": {**_RATE, "label": "Haircut cap: ETFs"},
    "haircut_cap_money_fund_treasury": {
        **_RATE,
        "label": "Haircut cap: money-market funds and treasury bonds",
    },
    "haircut_cap_other_fund_bond": {**_RATE, "label": "Haircut cap: other funds and bonds"},
    "haircut_zero_pe_above": {
        "type": "decimal",
        "min": "0",
        "label": "Static P/E above which (or at/below zero) a stock counts for nothing",
    },
    "contract_term_max_months": {
        "type": "integer",
        "min": 1,
        "max": 60,
        "label": "Longest contract / credit term (months)",
    },
    "rollover_term_max_months": {
        "type": "integer",
        "min": 1,
        "max": 60,
        "label": "Longest single rollover (months)",
    },
    "withdrawal_min_ratio": {
        "type": "decimal",
        "min": "1",
        "max": "100",
        "label": "Maintenance ratio that must remain after withdrawing collateral",
    },
    "closing_line_min": {
        "type": "decimal",
        "min": "1",
        "max": "10",
        "label": "Lowest closing (liquidation) line a contract may set",
    },
}

PACKAGE_SCHEMA: dict[str, Any] = {
    "risk_level": {
        "type": "choice",
        "choices": list(ProductRiskLevel.values),
        "label": "Product risk level (suitability: Cn up to Rn)",
    },
    "max_financing_ratio": {
        "type": "decimal",
        "min": "0",
        "max": "10",
        "label": "Maximum financing ratio (financed ÷ own eligible margin)",
    },
    "warning_line": {**_LINE, "label": "Warning line (maintenance ratio)"},
    "liquidation_line": {**_LINE, "label": "Liquidation (closing) line (maintenance ratio)"},
    "topup_target": {**_LINE, "label": "Top-up target after a margin call (maintenance ratio)"},
    "annual_interest_rate": {**_RATE, "label": "Annual interest rate on financed principal"},
    "day_count": {
        "type": "choice",
        "choices": list(DayCount.values),
        "label": "Interest day-count convention",
    },
    "commission_rate": {**_RATE, "label": "Commission on credit trades (of value)"},
    "overdue_penalty_daily_rate": {**_RATE, "label": "Penalty interest per day on overdue debt"},
    "concentration_single_stock": {
        **_RATE,
        "label": "Largest share of collateral value in one security",
    },
    "concentration_single_board": {
        **_RATE,
        "label": "Largest share of collateral value on one board",
    },
    "eligible_boards": {"type": "json", "label": "Boards accepted as collateral (list)"},
    "eligible_kinds": {"type": "json", "label": "Instrument kinds accepted as collateral (list)"},
    "haircuts": {
        "type": "json",
        "label": "Haircut by category (each at most the regulatory cap)",
    },
    "cure_period_trading_days": {
        "type": "integer",
        "min": 0,
        "max": 20,
        "label": "Margin-call cure period (trading days)",
    },
    "liquidation_order": {
        "type": "choice",
        "choices": list(LiquidationOrder.values),
        "label": "Which positions forced selling takes first",
    },
}

REGIME_SCHEMA: dict[str, Any] = {
    "regime": {
        "type": "choice",
        "choices": list(Regime.values),
        "label": "Market regime in force",
    },
    "multiplier_normal": {**_RATE, "label": "Leverage multiplier in a normal market (≤ 1)"},
    "multiplier_stressed": {**_RATE, "label": "Leverage multiplier in a stressed market (≤ 1)"},
    "multiplier_crisis": {**_RATE, "label": "Leverage multiplier in a crisis (≤ 1)"},
}

POLICY_SCHEMA: dict[str, Any] = {
    "dual_approval_threshold": {
        "type": "decimal",
        "min": "0",
        "label": "Credit limits above this amount (CNY) need two approvers",
    },
    "application_expiry_days": {
        "type": "integer",
        "min": 1,
        "max": 365,
        "label": "An open application expires after this many days",
    },
    "application_expiry_basis": {
        "type": "choice",
        "choices": list(ExpiryBasis.values),
        "label": "Count the expiry in calendar or trading days",
    },
    "line_term_months": {
        "type": "integer",
        "min": 1,
        "max": 60,
        "label": "Term of a new credit line (months)",
    },
    "line_renewal_months": {
        "type": "integer",
        "min": 1,
        "max": 60,
        "label": "Extension granted by one renewal (months)",
    },
}

SCORECARD_SCHEMA: dict[str, Any] = {
    "factors": {"type": "json", "label": "Factors with bins / categories, points, reason codes"},
    "grades": {"type": "json", "label": "Grade cut-offs: [{grade, min_score}], best first"},
    "asset_multiple": {"type": "json", "label": "Limit as a multiple of assets, by grade"},
    "grade_cap": {"type": "json", "label": "Largest limit by grade (CNY)"},
    "tier_multiplier": {"type": "json", "label": "Limit multiplier by client tier ('*' = other)"},
    "limit_round_down_to": {
        "type": "decimal",
        "min": "0.01",
        "label": "Limits are rounded down to a multiple of this (CNY)",
    },
    "minimum_line": {
        "type": "decimal",
        "min": "0",
        "label": "A computed limit below this is no credit at all (CNY)",
    },
}
