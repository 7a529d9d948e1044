"""Settlement's work queues on the console home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.console import WorkQueue, register_queue
from settlement import selectors


def register() -> None:
    register_queue(
        WorkQueue(
            key="settlement.runs_failed",
            title=_("Clearing runs that stopped"),
            description=_("A step failed: read the error on the run, fix the cause, then resume."),
            count=lambda: selectors.failed_runs().count(),
            url_name="admin:settlement_clearingrun_changelist",
            url_query="status__exact=failed",
            permission="settlement.operate_clearingrun",
            order=500,
        )
    )
    register_queue(
        WorkQueue(
            key="settlement.breaks_open",
            title=_("Clearing breaks"),
            description=_("Differences the nightly reconciliation found: find the cause, resolve."),
            count=lambda: selectors.open_breaks().count(),
            url_name="admin:settlement_clearingbreak_changelist",
            url_query="status__exact=open",
            permission="settlement.change_clearingbreak",
            order=510,
        )
    )
