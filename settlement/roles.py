"""Who may do what in settlement (role keys as in ``accounts.enums.StaffRole``)."""

ROLE_GRANTS = {
    "operations": [
        "settlement.view_*",
        "settlement.operate_clearingrun",
        "settlement.change_clearingbreak",
    ],
    "finance": [
        "settlement.view_*",
        "settlement.operate_clearingrun",
        "settlement.change_clearingbreak",
    ],
    "risk_officer": [
        "settlement.view_clearingrun",
        "settlement.view_clearingstep",
        "settlement.view_mark",
        "settlement.view_dailystatement",
    ],
    "compliance": [
        "settlement.view_clearingrun",
        "settlement.view_clearingbreak",
        "settlement.view_dailystatement",
    ],
}
