"""Contract jobs (see ``core.schedules``)."""

from core.schedules import Schedule

SCHEDULES = [
    Schedule(
        name="Contracts: daily transitions",
        task="contracts.daily",
        description=(
            "Withdraw offers whose credit line ended, expire offers not signed in time, bring "
            "signed contracts into force and expire those whose term ended (which suspends "
            "their credit line). Runs after credit's line expiry (00:15)."
        ),
        minute="30",
        hour="0",
    ),
]
