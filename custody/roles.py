"""Who may do what in custody (role keys as in ``accounts.enums.StaffRole``)."""

ROLE_GRANTS = {
    "operations": [
        "custody.view_*",
        "custody.add_marginaccount",
        "custody.change_marginaccount",
        "custody.add_deposit",
        "custody.add_withdrawal",
        "custody.check_withdrawal",
        "custody.import_bankstatement",
        "custody.add_bankstatement",
        "custody.change_reconciliationbreak",
    ],
    "finance": [
        "custody.view_*",
        "custody.approve_withdrawal",
        "custody.send_withdrawal",
        "custody.import_bankstatement",
        "custody.add_bankstatement",
        "custody.change_reconciliationbreak",
    ],
    "compliance": [
        "custody.view_*",
        "custody.review_deposit",
        "custody.change_amlcase",
        "custody.export_large_value_report",
    ],
    "risk_officer": [
        "custody.view_marginaccount",
        "custody.view_position",
        "custody.view_ledgeraccount",
        "custody.view_ledgerbalance",
        "custody.view_journalentry",
        "custody.view_posting",
        "custody.view_withdrawal",
    ],
}
