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
    Schedule(
        name="Assess the market regime",
        task="risk.assess_market_regime",
        description=(
            "After the close (skips non-trading days): the regime indicator; a change of regime "
            "is proposed by the system user and waits for a risk officer's approval."
        ),
        minute="40",
        hour="16",
        day_of_week="1-5",
    ),
]
