"""The clearing steps settlement provides (see ``settlement.registry`` for the order)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from settlement.enums import StepScope
from settlement.registry import Step, register_step
from settlement.steps.fees import charge_fees
from settlement.steps.interest import accrue_interest
from settlement.steps.margin_status import margin_status_at_close
from settlement.steps.marks import mark_prices
from settlement.steps.reconciliation import reconcile, register_clearing_expectation
from settlement.steps.report import run_report
from settlement.steps.statements import write_statements
from settlement.steps.trades import settle_trades

DEFAULT_STEPS = [
    Step("marks", _("Close prices and marks"), 100, StepScope.DATE, mark_prices),
    Step("interest", _("Interest accrual"), 200, StepScope.SHARD, accrue_interest),
    Step("fees", _("Fees and taxes"), 300, StepScope.SHARD, charge_fees),
    Step("settle_trades", _("T+1 settlement"), 400, StepScope.DATE, settle_trades),
    Step(
        "margin_status",
        _("Margin status at the close"),
        500,
        StepScope.DATE,
        margin_status_at_close,
    ),
    Step("statements", _("Daily statements"), 700, StepScope.SHARD, write_statements),
    Step("reconciliation", _("Reconciliation"), 800, StepScope.DATE, reconcile),
    Step("report", _("Run report"), 900, StepScope.DATE, run_report),
]


def register_default_steps() -> None:
    for step in DEFAULT_STEPS:
        register_step(step)


__all__ = ["DEFAULT_STEPS", "register_clearing_expectation", "register_default_steps"]
