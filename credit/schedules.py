"""Credit housekeeping jobs (see ``core.schedules``)."""

from core.schedules import Schedule

SCHEDULES = [
    Schedule(
        name="Expire stale credit applications",
        task="credit.expire_stale_applications",
        description="Applications left undecided past their deadline become expired.",
        minute="10",
        hour="0",
    ),
    Schedule(
        name="Expire credit lines",
        task="credit.expire_lines",
        description="Lines past their valid-to date expire and stop being drawable.",
        minute="15",
        hour="0",
    ),
]
