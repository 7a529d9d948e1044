"""Console queues owned by accounts: KYC to review, open screening cases, re-assessments due."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from core.console import WorkQueue, register_queue


def register() -> None:
    register_queue(
        WorkQueue(
            key="accounts.kyc_review",
            title=_("KYC to review"),
            description=_(
                "Clients submitted for identity review. Compare the documents with the details; "
                "you may not decide a client you entered or edited."
            ),
            count=lambda: selectors.kyc_waiting().count(),
            url_name="admin:accounts_client_changelist",
            url_query="status__exact=kyc_submitted",
            permission="accounts.review_kyc",
            order=10,
        )
    )
    register_queue(
        WorkQueue(
            key="accounts.screening_cases",
            title=_("Screening cases"),
            description=_(
                "Possible sanctions / PEP matches. Clear or confirm each with a reason; an open "
                "case holds the client back from eligibility."
            ),
            count=lambda: selectors.open_cases().count(),
            url_name="admin:accounts_screeningcase_changelist",
            url_query="status__exact=open",
            permission="accounts.decide_screeningcase",
            order=20,
        )
    )
    register_queue(
        WorkQueue(
            key="accounts.reassessment_due",
            title=_("Questionnaires due"),
            description=_(
                "Clients whose suitability questionnaire is due (or overdue) for re-assessment; "
                "no product may be offered once it is overdue."
            ),
            count=lambda: selectors.reassessment_due(timezone.localdate()).count(),
            url_name="admin:accounts_client_changelist",
            url_query="reassessment=due",
            permission="accounts.add_suitabilityassessment",
            order=30,
        )
    )
