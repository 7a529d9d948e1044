"""The demo seeds a signed, an issued and an expired contract, and a second run adds nothing."""

import pytest
from pypdf import PdfReader

from accounts import demo as accounts_demo
from contracts import demo as contracts_demo
from contracts.models import ClauseVersion, Contract
from core.demo import DemoContext

# Real commits: the demo reads its own signing code, which is delivered after commit.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_demo() -> DemoContext:
    from django.utils import timezone

    ctx = DemoContext(today=timezone.localdate(), log=lambda line: None)
    accounts_demo.seed(ctx)
    contracts_demo.seed(ctx)
    return ctx


def test_the_demo_is_complete_and_idempotent():
    ctx = run_demo()
    statuses = sorted(Contract.objects.values_list("status", flat=True))
    assert statuses == ["active", "expired", "issued"]
    signed = Contract.objects.get(status="active")
    assert signed.client.status == "active"
    for document in signed.documents.all():
        with document.pdf.open("rb") as handle:
            assert len(PdfReader(handle).pages) == document.page_count
    assert ClauseVersion.objects.filter(status="proposed").count() == 1
    assert any("awaits client.chenjing's signature" in note for note in ctx.notes)
    run_demo()
    assert Contract.objects.count() == 3
    assert ClauseVersion.objects.filter(status="proposed").count() == 1
