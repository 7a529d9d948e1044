"""The demo papers the credit demo's approved lines the real way (signed, issued, withdrawn),
gives the waiting client a portal login, and a second run adds nothing."""

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts import demo as accounts_demo
from accounts.enums import ClientStatus
from contracts import demo as contracts_demo
from contracts.models import ClauseVersion, Contract
from core.demo import DemoContext
from credit import demo as credit_demo
from credit.enums import CreditLineStatus
from credit.models import CreditLine
from portal import demo as portal_demo

# Real commits: the demo reads its own signing code, which is delivered after commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_demo() -> DemoContext:
    ctx = DemoContext(today=timezone.localdate(), log=lambda line: None)
    for app in (accounts_demo, credit_demo, contracts_demo, portal_demo):
        app.seed(ctx)
    return ctx


def line_of(contract: Contract) -> CreditLine:
    return CreditLine.objects.get(pk=int(contract.subject_ref))


def test_the_demo_is_complete_and_idempotent():
    ctx = run_demo()
    statuses = sorted(Contract.objects.values_list("status", flat=True))
    assert statuses == ["active", "active", "active", "expired", "issued"]
    assert set(Contract.objects.values_list("subject_kind", flat=True)) == {"credit_line"}

    signed = list(Contract.objects.filter(status="active"))
    assert len({contract.client_id for contract in signed}) == 3
    for contract in signed:
        assert (contract.client.status, line_of(contract).status) == (
            ClientStatus.ACTIVE,
            CreditLineStatus.ACTIVE,
        )
        for document in contract.documents.all():
            with document.pdf.open("rb") as handle:
                assert len(PdfReader(handle).pages) == document.page_count

    waiting = Contract.objects.get(status="issued")
    assert (waiting.client.status, line_of(waiting).status) == (
        ClientStatus.CREDIT_APPROVED,
        CreditLineStatus.PENDING_CONTRACT,
    )
    user = waiting.client.user
    assert user is not None and user.email
    assert (user.username, f"Portal-{waiting.client.client_no}-2026") in [
        (name, password) for name, password, _url in ctx.credentials
    ]
    assert any(f"awaits {user.username}'s signature" in note for note in ctx.notes)

    withdrawn = Contract.objects.get(status="expired")
    assert withdrawn.end_reason == f"withdrawn: credit line #{withdrawn.subject_ref} closed"
    assert withdrawn.client.status == ClientStatus.ELIGIBLE
    assert ClauseVersion.objects.filter(status="proposed").count() == 1

    second = run_demo()
    assert Contract.objects.count() == 5
    assert ClauseVersion.objects.filter(status="proposed").count() == 1
    usernames = [name for name, _password, _url in second.credentials]
    assert len(usernames) == len(set(usernames))
