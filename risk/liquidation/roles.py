"""Who may do what with liquidations (merged into ``risk.roles.ROLE_GRANTS``)."""

ROLE_GRANTS = {
    "operations": [
        "risk.view_liquidation",
        "risk.view_liquidationplan",
        "risk.view_liquidationplanline",
        "risk.view_liquidationday",
        "risk.view_liquidatelast",
        "risk.add_liquidatelast",
        "risk.change_liquidatelast",
        "risk.delete_liquidatelast",
        "risk.view_shortfallcase",
        "risk.change_shortfallcase",
    ],
    "risk_officer": [
        "risk.view_liquidation",
        "risk.view_liquidationplan",
        "risk.view_liquidationplanline",
        "risk.view_liquidationday",
        "risk.view_liquidatelast",
        "risk.view_shortfallcase",
        "risk.execute_liquidation",
        "risk.hold_liquidation",
    ],
    "finance": ["risk.view_liquidation", "risk.view_shortfallcase", "risk.change_shortfallcase"],
    "compliance": ["risk.view_liquidation", "risk.view_shortfallcase"],
    "auditor": [
        "risk.view_liquidation",
        "risk.view_liquidationplan",
        "risk.view_liquidationplanline",
        "risk.view_liquidationday",
        "risk.view_liquidatelast",
        "risk.view_shortfallcase",
    ],
}
