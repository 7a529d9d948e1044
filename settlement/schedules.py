"""The nightly clearing run (see ``core.schedules``); the task skips non-trading days."""

from core.schedules import Schedule

SCHEDULES = [
    Schedule(
        name="Nightly clearing",
        task="settlement.clearing_start",
        description=(
            "After the close of every XSHG trading day: marks, interest, fees, statements, "
            "reconciliation and the run report for the day."
        ),
        minute="30",
        hour="16",
        day_of_week="1-5",
    ),
]
