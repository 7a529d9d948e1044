"""Console queues owned by risk: margin calls to follow, overrides to decide, failed messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.console import WorkQueue, register_queue
from risk.margin.enums import CallStatus, NotificationStatus, OverrideStatus
from risk.margin.models import MarginCall, MarginCallOverride, MarginNotification


def register() -> None:
    register_queue(
        WorkQueue(
            key="risk.calls",
            title=_("Open margin calls"),
            description=_("Calls issued and waiting for a top-up, earliest deadline first."),
            count=lambda: MarginCall.objects.filter(status=CallStatus.ISSUED).count(),
            url_name="admin:risk_margincall_changelist",
            url_query=f"status__exact={CallStatus.ISSUED}",
            permission="risk.view_margincall",
            order=400,
        )
    )
    register_queue(
        WorkQueue(
            key="risk.liquidating",
            title=_("Liquidations in flight"),
            description=_("Calls in liquidation until the ratio is restored."),
            count=lambda: MarginCall.objects.filter(status=CallStatus.LIQUIDATING).count(),
            url_name="admin:risk_margincall_changelist",
            url_query=f"status__exact={CallStatus.LIQUIDATING}",
            permission="risk.view_margincall",
            order=405,
        )
    )
    register_queue(
        WorkQueue(
            key="risk.overrides",
            title=_("Margin-call overrides to decide"),
            description=_("Deadline extensions and liquidation holds; never your own request."),
            count=lambda: MarginCallOverride.objects.filter(status=OverrideStatus.PENDING).count(),
            url_name="admin:risk_margincalloverride_changelist",
            url_query=f"status__exact={OverrideStatus.PENDING}",
            permission="risk.approve_override",
            order=410,
        )
    )
    register_queue(
        WorkQueue(
            key="risk.notifications",
            title=_("Margin notifications that failed"),
            description=_("Check the error and resend."),
            count=lambda: MarginNotification.objects.filter(
                status=NotificationStatus.FAILED
            ).count(),
            url_name="admin:risk_marginnotification_changelist",
            url_query=f"status__exact={NotificationStatus.FAILED}",
            permission="risk.resend_marginnotification",
            order=420,
        )
    )
