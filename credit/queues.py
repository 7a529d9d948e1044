"""Console queues owned by credit: applications to review and to decide, lines to sign."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.console import WorkQueue, register_queue
from credit.enums import ApplicationStatus
from credit.models import CreditApplication


def _applications(status: str) -> int:
    return CreditApplication.objects.filter(status=status).count()


def register() -> None:
    register_queue(
        WorkQueue(
            key="credit.review",
            title=_("Credit applications to review"),
            description=_("Check the declared figures and run the scorecard."),
            count=lambda: _applications(ApplicationStatus.SUBMITTED),
            url_name="admin:credit_creditapplication_changelist",
            url_query=f"status__exact={ApplicationStatus.SUBMITTED}",
            permission="credit.review_creditapplication",
            order=200,
        )
    )
    register_queue(
        WorkQueue(
            key="credit.decide",
            title=_("Credit applications to decide"),
            description=_(
                "Approve or reject; never your own request. Large limits need two approvers."
            ),
            count=lambda: _applications(ApplicationStatus.UNDER_REVIEW),
            url_name="admin:credit_creditapplication_changelist",
            url_query=f"status__exact={ApplicationStatus.UNDER_REVIEW}",
            permission="credit.decide_creditapplication",
            order=210,
        )
    )
    # Lines waiting for their contract are the contracts app's queues (offer, then signature).
