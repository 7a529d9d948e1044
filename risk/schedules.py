"""Risk's periodic jobs (see ``core.schedules``): margin sweeps in trading hours (skipping
non-trading days) and the liquidation desk's."""

from core.schedules import Schedule
from risk.liquidation.schedules import SCHEDULES as LIQUIDATION_SCHEDULES
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
    *LIQUIDATION_SCHEDULES,
    *STRESS_SCHEDULES,
]
