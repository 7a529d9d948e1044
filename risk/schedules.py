"""Margin sweeps during trading hours (see ``core.schedules``). The task skips non-trading days."""

from core.schedules import Schedule
from risk.stress.schedules import SCHEDULES as STRESS_SCHEDULES

SCHEDULES = [
    Schedule(
        name="Margin sweep (trading hours)",
        task="risk.margin_sweep_trading_hours",
        description=(
            "Every 5 minutes from 09:30 to 15:00 on weekdays: every account against its lines; "
            "deadlines that passed start liquidation."
        ),
        minute="*/5",
        hour="9-15",
        day_of_week="1-5",
    ),
    Schedule(
        name="Margin sweep (close)",
        task="risk.margin_sweep_trading_hours",
        description="After the close: warnings still below the line become margin calls.",
        minute="10",
        hour="15",
        day_of_week="1-5",
        kwargs={"closing": True},
    ),
    *STRESS_SCHEDULES,
]
