"""Settlement services: clearing runs, breaks, statement documents."""

from settlement.services.breaks import clearing_break_resolve
from settlement.services.documents import (
    MonthlyStatement,
    monthly_statement,
    monthly_statement_pdf,
    statement_pdf,
)
from settlement.services.runs import (
    ClearingStepFailed,
    clearing_run,
    clearing_run_open,
    clearing_run_rerun,
    clearing_run_resume,
    execute_run_inline,
)

__all__ = [
    "ClearingStepFailed",
    "MonthlyStatement",
    "clearing_break_resolve",
    "clearing_run",
    "clearing_run_open",
    "clearing_run_rerun",
    "clearing_run_resume",
    "execute_run_inline",
    "monthly_statement",
    "monthly_statement_pdf",
    "statement_pdf",
]
