from settlement.models.breaks import ClearingBreak
from settlement.models.marks import Mark
from settlement.models.runs import ClearingRun, ClearingShard, ClearingStep
from settlement.models.statements import DailyStatement, StatementDocument

__all__ = [
    "ClearingBreak",
    "ClearingRun",
    "ClearingShard",
    "ClearingStep",
    "DailyStatement",
    "Mark",
    "StatementDocument",
]
