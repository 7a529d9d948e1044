"""Custody's work queues on the console home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.console import WorkQueue, register_queue
from custody import selectors


def register() -> None:
    queues = [
        WorkQueue(
            key="custody.deposits_held",
            title=_("Deposits held for review"),
            description=_(
                "Money from an account other than the client's own: release or return it."
            ),
            count=lambda: selectors.held_deposits().count(),
            url_name="admin:custody_deposit_changelist",
            url_query="status__exact=held",
            permission="custody.review_deposit",
            order=300,
        ),
        WorkQueue(
            key="custody.withdrawals_check",
            title=_("Withdrawals to check"),
            description=_("New requests: confirm the rules hold (not your own requests)."),
            count=lambda: selectors.withdrawals_to_check().count(),
            url_name="admin:custody_withdrawal_changelist",
            url_query="status__exact=requested",
            permission="custody.check_withdrawal",
            order=310,
        ),
        WorkQueue(
            key="custody.withdrawals_approve",
            title=_("Withdrawals to approve"),
            description=_("Checked requests; large ones need two approvers."),
            count=lambda: selectors.withdrawals_to_approve().count(),
            url_name="admin:custody_withdrawal_changelist",
            url_query="status__exact=checked",
            permission="custody.approve_withdrawal",
            order=320,
        ),
        WorkQueue(
            key="custody.withdrawals_send",
            title=_("Withdrawals to send"),
            description=_("Approved: select them and send them to the bank as one batch."),
            count=lambda: selectors.withdrawals_to_send().count(),
            url_name="admin:custody_withdrawal_changelist",
            url_query="status__exact=approved",
            permission="custody.send_withdrawal",
            order=330,
        ),
        WorkQueue(
            key="custody.breaks",
            title=_("Reconciliation breaks"),
            description=_(
                "Bank lines that match nothing or differ in amount, and ledger differences."
            ),
            count=lambda: selectors.open_breaks().count(),
            url_name="admin:custody_reconciliationbreak_changelist",
            url_query="status__exact=open",
            permission="custody.change_reconciliationbreak",
            order=340,
        ),
        WorkQueue(
            key="custody.aml",
            title=_("AML cases"),
            description=_(
                "Fund-flow rule hits to investigate; reports are due within 5 working days."
            ),
            count=lambda: selectors.open_aml_cases().count(),
            url_name="admin:custody_amlcase_changelist",
            permission="custody.change_amlcase",
            order=350,
        ),
        WorkQueue(
            key="custody.financing_requests",
            title=_("Financing requests to approve"),
            description=_("Large drawdowns and repayments: a second person decides."),
            count=lambda: selectors.financing_requests_waiting().count(),
            url_name="admin:custody_financingrequest_changelist",
            url_query="status__exact=pending",
            permission="custody.approve_financingrequest",
            order=360,
        ),
    ]
    for queue in queues:
        register_queue(queue)
