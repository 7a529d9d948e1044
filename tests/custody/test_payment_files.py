"""Outgoing instructions: pain.001 and CSV, one file per batch, the same bytes every time."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree

from core.models import AuditEvent
from custody.services.payments import payment_batch_export, payment_batch_file, withdrawals_send
from custody.services.withdrawals import withdrawal_approve, withdrawal_check, withdrawal_request
from tests.custody.conftest import OWN_ACCOUNT, fund

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


@pytest.fixture
def batch(make_account, ops, ops2, finance):
    withdrawals = []
    for n, amount in enumerate(["120.00", "80.50"]):
        account = make_account()
        fund(account, "1000.00")
        w = withdrawal_request(
            margin_account=account, amount=amount, idempotency_key=f"w{n}", by=ops
        )
        withdrawal_check(withdrawal=w, by=ops2)
        withdrawals.append(withdrawal_approve(withdrawal=w, by=finance))
    return withdrawals_send(withdrawals=withdrawals, by=finance, idempotency_key="batch")


def test_pain001_names_every_instruction_and_the_totals(batch):
    name, content = payment_batch_file(batch=batch)
    root = ElementTree.fromstring(content)
    assert name == f"{batch.reference}.xml"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "200.50"
    txs = root.findall("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", NS)
    assert [t.findtext("p:Amt/p:InstdAmt", namespaces=NS) for t in txs] == ["120.00", "80.50"]
    assert {t.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) for t in txs} == {OWN_ACCOUNT}


def test_a_re_export_gives_the_same_file(batch, finance, outbox):
    first = payment_batch_export(batch=batch, by=finance).read_bytes()
    second = payment_batch_export(batch=batch, by=finance).read_bytes()
    assert first == second == payment_batch_file(batch=batch)[1]
    batch.refresh_from_db()
    assert batch.file_sha256 and batch.exported_at is not None
    assert AuditEvent.objects.filter(action="export", object_id=str(batch.pk)).count() == 3


def test_the_csv_variant_lists_the_same_instructions(batch):
    name, content = payment_batch_file(batch=batch, fmt="csv")
    lines = content.decode().splitlines()
    assert name.endswith(".csv") and len(lines) == 3
    assert lines[1].split(",")[3:5] == ["120.00", "CNY"]
