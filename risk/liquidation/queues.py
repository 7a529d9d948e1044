"""Liquidation work queues on the console home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.console import WorkQueue, register_queue
from risk.liquidation import selectors


def register() -> None:
    register_queue(
        WorkQueue(
            key="risk.liquidations_planned",
            title=_("Liquidations to execute"),
            description=_("Planned liquidations: check the simulated plan and execute it."),
            count=lambda: selectors.liquidations_in_flight().filter(status="planned").count(),
            url_name="admin:risk_liquidation_changelist",
            url_query="status__exact=planned",
            permission="risk.execute_liquidation",
            order=500,
        )
    )
    register_queue(
        WorkQueue(
            key="risk.shortfall_cases",
            title=_("Shortfall cases (穿仓)"),
            description=_("Debt left after liquidation, posted as a receivable: recover it."),
            count=lambda: selectors.open_shortfall_cases().count(),
            url_name="admin:risk_shortfallcase_changelist",
            url_query="status__in=open,in_recovery",
            permission="risk.change_shortfallcase",
            order=510,
        )
    )
