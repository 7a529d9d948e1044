"""Risk's periodic jobs (see ``core.schedules``)."""

from risk.stress.schedules import SCHEDULES as STRESS_SCHEDULES

SCHEDULES = [*STRESS_SCHEDULES]
