"""Who may change market reference data (role keys as in ``accounts.enums.StaffRole``).

Bars, quotes and funding values arrive through imports and feeds only (read-only pages).
"""

ROLE_GRANTS = {
    "operations": [
        "markets.add_instrument",
        "markets.change_instrument",
        "markets.add_suspension",
        "markets.change_suspension",
    ],
    "risk_officer": [
        "markets.add_exchangeholiday",
        "markets.change_exchangeholiday",
        "markets.add_suspension",
        "markets.change_suspension",
        "markets.add_fundingseries",
        "markets.change_fundingseries",
    ],
}
