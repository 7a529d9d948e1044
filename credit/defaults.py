"""Starting values for a firm's credit rules: three packages, the scorecard, policy, regime.

These are not in force by themselves: :func:`credit.services.credit_defaults_install` proposes
them through maker-checker (the demo, a new installation's first day and the tests use it).
Regulatory figures are not here; they are seeded history in ``margin-regulatory``.
"""

from __future__ import annotations

from typing import Any

ALL_BOARDS = ["main", "chinext", "star", "bse"]
ALL_KINDS = ["stock", "etf", "fund", "bond", "money_fund"]

PACKAGES: list[dict[str, Any]] = [
    {
        "code": "conservative",
        "name": "稳健 Conservative",
        "description": "Half the own margin financed, wide lines, main-board collateral only.",
        "values": {
            "risk_level": "R3",
            "max_financing_ratio": "0.50",
            "warning_line": "1.50",
            "liquidation_line": "1.40",
            "topup_target": "1.70",
            "annual_interest_rate": "0.0560",
            "day_count": "ACT/365",
            "commission_rate": "0.0003",
            "overdue_penalty_daily_rate": "0.0005",
            "concentration_single_stock": "0.30",
            "concentration_single_board": "0.70",
            "eligible_boards": ["main"],
            "eligible_kinds": ["stock", "etf", "bond", "money_fund"],
            "haircuts": {
                "index_constituent": "0.60",
                "other_ashare": "0.50",
                "etf": "0.80",
                "money_fund_treasury": "0.90",
                "other_fund_bond": "0.70",
            },
            "cure_period_trading_days": 3,
            "liquidation_order": "losers_first",
        },
    },
    {
        "code": "balanced",
        "name": "均衡 Balanced",
        "description": "The usual 140 / 130 / 160 lines, all boards but Beijing.",
        "values": {
            "risk_level": "R4",
            "max_financing_ratio": "0.80",
            "warning_line": "1.40",
            "liquidation_line": "1.30",
            "topup_target": "1.60",
            "annual_interest_rate": "0.0650",
            "day_count": "ACT/360",
            "commission_rate": "0.0003",
            "overdue_penalty_daily_rate": "0.0005",
            "concentration_single_stock": "0.40",
            "concentration_single_board": "0.80",
            "eligible_boards": ["main", "chinext", "star"],
            "eligible_kinds": ALL_KINDS,
            "haircuts": {
                "index_constituent": "0.65",
                "other_ashare": "0.60",
                "etf": "0.85",
                "money_fund_treasury": "0.95",
                "other_fund_bond": "0.75",
            },
            "cure_period_trading_days": 2,
            "liquidation_order": "largest_first",
        },
    },
    {
        "code": "aggressive",
        "name": "进取 Aggressive",
        "description": "As much as regulation allows, haircuts at the regulatory caps.",
        "values": {
            "risk_level": "R5",
            "max_financing_ratio": "1.00",
            "warning_line": "1.35",
            "liquidation_line": "1.25",
            "topup_target": "1.50",
            "annual_interest_rate": "0.0780",
            "day_count": "ACT/360",
            "commission_rate": "0.0002",
            "overdue_penalty_daily_rate": "0.0007",
            "concentration_single_stock": "0.50",
            "concentration_single_board": "1.00",
            "eligible_boards": ALL_BOARDS,
            "eligible_kinds": ALL_KINDS,
            "haircuts": {
                "index_constituent": "0.70",
                "other_ashare": "0.65",
                "etf": "0.90",
                "money_fund_treasury": "0.95",
                "other_fund_bond": "0.80",
            },
            "cure_period_trading_days": 1,
            "liquidation_order": "losers_first",
        },
    },
]

REGIME: dict[str, Any] = {
    "regime": "normal",
    "multiplier_normal": "1.00",
    "multiplier_stressed": "0.80",
    "multiplier_crisis": "0.50",
}

POLICY: dict[str, Any] = {
    "dual_approval_threshold": "1000000.00",
    "application_expiry_days": 30,
    "application_expiry_basis": "calendar",
    "line_term_months": 6,
    "line_renewal_months": 6,
}


def _bins(*entries: tuple[str | None, int, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for below, points, reason in entries:
        entry: dict[str, Any] = {"points": points}
        if below is not None:
            entry["below"] = below
        if reason:
            entry["reason"] = reason
        out.append(entry)
    return out


SCORECARD: dict[str, Any] = {
    "factors": [
        {
            "code": "assets",
            "input": "financial_assets",
            "bins": _bins(
                ("500000", 0, "ASSETS_BELOW_500K"),
                ("1000000", 8, "ASSETS_BELOW_1M"),
                ("3000000", 16, "ASSETS_BELOW_3M"),
                ("5000000", 22, ""),
                (None, 30, ""),
            ),
        },
        {
            "code": "income",
            "input": "annual_income",
            "bins": _bins(
                ("100000", 0, "INCOME_BELOW_100K"),
                ("300000", 6, "INCOME_BELOW_300K"),
                ("500000", 10, ""),
                (None, 15, ""),
            ),
        },
        {
            "code": "experience",
            "input": "investing_experience_years",
            "bins": _bins(
                ("1", 0, "EXPERIENCE_UNDER_1Y"),
                ("2", 4, "EXPERIENCE_UNDER_2Y"),
                ("5", 8, ""),
                (None, 12, ""),
            ),
        },
        {
            "code": "suitability",
            "input": "suitability_level",
            "categories": {
                "C1": {"points": 0, "reason": "SUITABILITY_C1"},
                "C2": {"points": 3, "reason": "SUITABILITY_C2"},
                "C3": {"points": 8},
                "C4": {"points": 12},
                "C5": {"points": 15},
            },
        },
        {
            "code": "kyc_risk",
            "input": "risk_rating",
            "categories": {
                "low": {"points": 10},
                "medium": {"points": 5, "reason": "KYC_RISK_MEDIUM"},
                "high": {"points": 0, "reason": "KYC_RISK_HIGH"},
                "*": {"points": 0, "reason": "KYC_RISK_UNRATED"},
            },
        },
        {
            "code": "tier",
            "input": "tier",
            "categories": {
                "institutional": {"points": 10},
                "premium": {"points": 8},
                "standard": {"points": 4},
                "*": {"points": 2, "reason": "TIER_UNSET"},
            },
        },
        {
            "code": "margin_calls",
            "input": "past_margin_calls",
            "bins": _bins(
                ("1", 8, ""),
                ("3", 3, "PAST_MARGIN_CALLS"),
                (None, 0, "FREQUENT_MARGIN_CALLS"),
            ),
        },
    ],
    "grades": [
        {"grade": "A", "min_score": 80},
        {"grade": "B", "min_score": 65},
        {"grade": "C", "min_score": 50},
        {"grade": "D", "min_score": 35},
        {"grade": "E", "min_score": 0},
    ],
    "asset_multiple": {"A": "1.00", "B": "0.70", "C": "0.50", "D": "0.25", "E": "0"},
    "grade_cap": {
        "A": "20000000",
        "B": "10000000",
        "C": "5000000",
        "D": "1000000",
        "E": "0",
    },
    "tier_multiplier": {
        "institutional": "1.50",
        "premium": "1.20",
        "standard": "1.00",
        "*": "1.00",
    },
    "limit_round_down_to": "10000",
    "minimum_line": "50000",
}
