"""Console work queues for contracts."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts import selectors
from contracts.rules import signing_rules
from core.console import WorkQueue, register_queue


def _expiring_soon() -> int:
    today = timezone.localdate()
    within = signing_rules(today).expiring_soon_days
    return selectors.expiring_soon(today=today, within_days=within).count()


def register() -> None:
    register_queue(
        WorkQueue(
            key="contracts.awaiting_signature",
            title=_("Contracts awaiting signature"),
            description=_(
                "Issued to the client and not signed yet; they expire unsigned after the signing "
                "window."
            ),
            count=lambda: selectors.issued_awaiting_signature().count(),
            url_name="admin:contracts_contract_changelist",
            url_query="status__exact=issued",
            permission="contracts.view_contract",
            order=300,
        )
    )
    register_queue(
        WorkQueue(
            key="contracts.expiring_soon",
            title=_("Contracts ending soon"),
            description=_(
                "In force and ending within the horizon set in the contract-signing rules: "
                "prepare a rollover (a new version) or the close-out."
            ),
            count=_expiring_soon,
            url_name="admin:contracts_contract_changelist",
            url_query="ending=soon",
            permission="contracts.view_contract",
            order=310,
        )
    )
    register_queue(
        WorkQueue(
            key="contracts.wording_to_approve",
            title=_("Contract wording to approve"),
            description=_(
                "Proposed template or clause versions; a colleague other than the proposer "
                "approves or rejects them."
            ),
            count=selectors.proposed_wording_count,
            url_name="admin:contracts_templateversion_changelist",
            url_query="status__exact=proposed",
            permission="contracts.approve_templateversion",
            order=320,
        )
    )
