"""Beat entries of the liquidity outputs (merged into ``risk/schedules.py``)."""

from core.schedules import Schedule

SCHEDULES = [
    Schedule(
        name="Refresh liquidity forecasts",
        task="risk.refresh_liquidity_forecasts",
        description="After the close: forecast ADV with its interval per instrument traded today.",
        minute="30",
        hour="16",
        day_of_week="1-5",
    ),
]
