"""Console work queues for contracts."""

from __future__ import annotations

from functools import partial

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
            key="contracts.credit_lines_to_paper",
            title=_("Credit lines without a contract"),
            description=_(
                "Approved credit lines with no contract offered yet: generate and issue the "
                "contract bundle for the client to sign."
            ),
            count=lambda: selectors.credit_lines_without_contract().count(),
            url_name="admin:contracts_contract_credit_lines",
            permission="contracts.issue_contract",
            order=299,
        )
    )
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
    for model, label, order in (
        ("templateversion", _("Contract templates to approve"), 320),
        ("clauseversion", _("Contract clauses to approve"), 321),
    ):
        register_queue(
            WorkQueue(
                key=f"contracts.{model}_to_approve",
                title=label,
                description=_(
                    "Proposed wording: a colleague other than the proposer previews it and "
                    "approves or rejects it."
                ),
                count=partial(selectors.proposed_wording_count, model=model),
                url_name=f"admin:contracts_{model}_changelist",
                url_query="status__exact=proposed",
                permission=f"contracts.approve_{model}",
                order=order,
            )
        )
