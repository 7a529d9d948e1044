"""Risk's periodic jobs (see ``core.schedules``)."""

from risk.liquidation.schedules import SCHEDULES as LIQUIDATION_SCHEDULES

SCHEDULES = [*LIQUIDATION_SCHEDULES]
