"""Liquidation jobs (merged into ``risk.schedules.SCHEDULES``)."""

from core.schedules import Schedule

SCHEDULES = [
    Schedule(
        name="Liquidations: re-plan after the close",
        task="risk.liquidations_close_day",
        description="Executing liquidations: record what could not be sold today and why, and "
        "re-plan the unfilled part for the next trading day.",
        minute="20",
        hour="15",
        day_of_week="1-5",
    ),
    Schedule(
        name="Liquidations: send at the open",
        task="risk.liquidations_resume",
        description="Executing liquidations that are not held: re-plan on the day's prices and "
        "send the orders (one idempotency key per case and day).",
        minute="31",
        hour="9",
        day_of_week="1-5",
    ),
]
