"""Who may do what in risk (role keys as in ``accounts.enums.StaffRole``).

Risk officers run the margin monitor, request overrides and approve other officers' requests
(never their own — the service refuses). Operations see calls and resend failed
notifications; compliance and auditors read. Risk officers also edit stress scenarios and run
them, and run the liquidity model evaluation.
"""

from risk.liquidation.roles import ROLE_GRANTS as LIQUIDATION_GRANTS

MARGIN_GRANTS = {
    "operations": [
        "risk.view_margincall",
        "risk.view_marginnotification",
        "risk.resend_marginnotification",
    ],
    "risk_officer": [
        "risk.view_*",
        "risk.request_override",
        "risk.approve_override",
        "risk.resend_marginnotification",
        "risk.add_stressscenario",
        "risk.change_stressscenario",
        "risk.run_stressscenario",
        "risk.run_liquiditymodelevaluation",
    ],
    "compliance": ["risk.view_*"],
    "finance": ["risk.view_margincall"],
    "auditor": ["risk.view_*"],
}

ROLE_GRANTS: dict[str, list[str]] = {
    role: [*MARGIN_GRANTS.get(role, []), *LIQUIDATION_GRANTS.get(role, [])]
    for role in sorted({*MARGIN_GRANTS, *LIQUIDATION_GRANTS})
}
