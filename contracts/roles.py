"""Who may do what with contracts (role keys as in ``accounts.enums.StaffRole``)."""

ROLE_GRANTS = {
    "operations": [
        "contracts.view_*",
        "contracts.issue_contract",
        "contracts.terminate_contract",
        "contracts.download_contractdocument",
    ],
    # Compliance owns the wording: one compliance officer proposes, another approves.
    "compliance": [
        "contracts.view_*",
        "contracts.propose_templateversion",
        "contracts.approve_templateversion",
        "contracts.propose_clauseversion",
        "contracts.approve_clauseversion",
        "contracts.download_contractdocument",
    ],
    "risk_officer": ["contracts.view_contract", "contracts.view_contractdocument"],
    "finance": ["contracts.view_contract"],
}
