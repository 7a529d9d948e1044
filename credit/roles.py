"""Who may do what in credit (role keys as in ``accounts.enums.StaffRole``).

Operations enter and review applications; risk officers decide them, renew and suspend lines and
add packages (package terms change through the parameter maker-checker flow); compliance may
suspend a line. Finance sees lines and packages.
"""

ROLE_GRANTS = {
    "operations": [
        "credit.view_*",
        "credit.add_creditapplication",
        "credit.review_creditapplication",
    ],
    "risk_officer": [
        "credit.view_*",
        "credit.review_creditapplication",
        "credit.decide_creditapplication",
        "credit.suspend_creditline",
        "credit.renew_creditline",
        "credit.add_leveragepackage",
        "credit.change_leveragepackage",
    ],
    "compliance": [
        "credit.view_*",
        "credit.suspend_creditline",
    ],
    "finance": [
        "credit.view_creditline",
        "credit.view_leveragepackage",
    ],
}
