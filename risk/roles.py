"""Who may do what in risk (role keys as in ``accounts.enums.StaffRole``)."""

from risk.liquidation.roles import ROLE_GRANTS as LIQUIDATION_GRANTS

ROLE_GRANTS: dict[str, list[str]] = {
    role: list(perms) for role, perms in LIQUIDATION_GRANTS.items()
}
