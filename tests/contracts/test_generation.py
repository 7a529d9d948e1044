"""Generation: a draft bundle of three PDFs with their hashes, the exact wording versions and
the terms kept; refusals leave nothing behind; documents never change afterwards."""

import hashlib
from datetime import date

import pytest
from django.db import connection, transaction

from accounts.enums import ClientStatus
from contracts.enums import BUNDLE_KINDS, ContractStatus
from contracts.models import Contract, ContractDocument
from contracts.services import (
    contract_bundle_generate,
    contract_issue,
    contract_new_version,
    document_render_check,
)
from contracts.terms import ContractTerms
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.models import AuditEvent
from tests.contracts.conftest import make_credit_approved_client
from tests.contracts.factories import ContractTermsFactory
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_a_bundle_is_three_pdfs_with_their_hashes_and_sources(draft_contract, terms):
    contract = draft_contract
    assert contract.status == ContractStatus.DRAFT
    assert contract.contract_no == "FC2026000001-01"
    assert contract.language == "zh-hans"
    assert ContractTerms.from_json(contract.terms) == terms
    documents = list(contract.documents.order_by("pk"))
    assert [d.kind for d in documents] == list(BUNDLE_KINDS)
    for document in documents:
        content = document.pdf.read()
        assert content.startswith(b"%PDF-")
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert document.size_bytes == len(content)
        assert document.template_version.status == "approved"
        assert document.template_version.template.kind == document.kind
        assert document.clause_versions.count() >= 1
        assert document.renderer.startswith("fulcrum-contracts/1 weasyprint/")
    codes = set(documents[0].clause_versions.values_list("clause__code", flat=True))
    assert codes == {
        "credit_line",
        "margin_ratio",
        "margin_call",
        "liquidation_order",
        "fees_interest",
        "default_handling",
        "dispute_resolution",
    }
    assert AuditEvent.objects.filter(object_id=str(contract.pk), action="transition").exists()


def test_a_re_render_gives_the_same_bytes(real_render, draft_contract):
    for document in draft_contract.documents.all():
        check = document_render_check(document=document)
        assert check.file_intact and check.same_renderer
        assert check.rerendered_sha256 == document.sha256


def test_a_changed_file_is_noticed(real_render, draft_contract):
    document = draft_contract.documents.first()
    assert document is not None
    with open(document.pdf.path, "ab") as handle:
        handle.write(b"\n% appended\n")
    check = document_render_check(document=document)
    assert not check.file_intact
    assert check.reproduced  # the stored hash is still what the inputs produce


def test_issuing_offers_the_contract_until_the_signing_deadline(draft_contract, ops):
    contract = contract_issue(contract=draft_contract, by=ops)
    assert contract.status == ContractStatus.ISSUED
    assert contract.sign_by == date(2026, 3, 17)  # 15 days (contracts-signing parameter)
    assert contract.issued_by == ops


def test_credit_must_be_approved_first(frozen_now, ops):
    client = ClientFactory.create()
    terms = ContractTermsFactory.build(client_no=client.client_no)
    with pytest.raises(IllegalTransition, match="is Draft; a first contract is generated only"):
        contract_bundle_generate(client=client, terms=terms, by=ops)
    assert Contract.objects.count() == 0 and ContractDocument.objects.count() == 0


def test_one_open_contract_per_client(draft_contract, approved_client, ops):
    terms = ContractTermsFactory.build(client_no=approved_client.client_no)
    with pytest.raises(InvalidInput, match="already has contract FC2026000001-01 .Draft.; issue a"):
        contract_bundle_generate(client=approved_client, terms=terms, by=ops)
    assert Contract.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"term_end": date(2026, 9, 3)}, "is longer than 6 months"),
        ({"client_no": "C9999999"}, "these terms are for client C9999999"),
        ({"term_start": date(2025, 9, 1), "term_end": date(2026, 2, 27)}, "the term ended on"),
    ],
)
def test_terms_that_do_not_fit_are_refused(frozen_now, approved_client, ops, changes, message):
    terms = ContractTermsFactory.build(client_no=approved_client.client_no).replace(**changes)
    with pytest.raises(InvalidInput, match=message):
        contract_bundle_generate(client=approved_client, terms=terms, by=ops)
    assert Contract.objects.count() == 0


def test_only_authorised_staff_generate(frozen_now, approved_client, terms, make_staff):
    with pytest.raises(PermissionRefused):
        contract_bundle_generate(client=approved_client, terms=terms, by=make_staff("finance"))


def test_the_client_language_chooses_the_bundle_language(frozen_now, ops):
    client = make_credit_approved_client(ops, language="en")
    terms = ContractTermsFactory.build(client_no=client.client_no)
    contract = contract_bundle_generate(client=client, terms=terms, by=ops)
    assert contract.language == "en"
    assert contract.documents.get(kind="margin_contract").title == "Margin Financing Contract"


def test_a_new_version_supersedes_the_unsigned_old_one_when_issued(issued_contract, ops):
    terms = issued_contract.contract_terms().replace(
        credit_limit=issued_contract.contract_terms().credit_limit * 2
    )
    new = contract_new_version(contract=issued_contract, terms=terms, by=ops)
    assert (new.contract_no, new.supersedes) == ("FC2026000001-02", issued_contract)
    issued_contract.refresh_from_db()
    assert issued_contract.status == ContractStatus.ISSUED  # until the new one is issued
    contract_issue(contract=new, by=ops)
    issued_contract.refresh_from_db()
    assert issued_contract.status == ContractStatus.SUPERSEDED
    assert issued_contract.end_reason == "replaced by FC2026000001-02"


def test_only_one_new_version_at_a_time(issued_contract, ops):
    terms = issued_contract.contract_terms()
    contract_new_version(contract=issued_contract, terms=terms, by=ops)
    with pytest.raises(
        InvalidInput, match="FC2026000001-02 of contract FC2026000001-01 is already"
    ):
        contract_new_version(contract=issued_contract, terms=terms, by=ops)


def test_generated_terms_and_documents_never_change(draft_contract):
    contract = Contract.objects.get(pk=draft_contract.pk)
    contract.terms = {**contract.terms, "credit_limit": "9000000.00"}
    with pytest.raises(IllegalTransition, match="terms cannot change — issue a new version"):
        contract.save()
    document = contract.documents.first()
    assert document is not None
    document.sha256 = "0" * 64
    with pytest.raises(IllegalTransition, match="is final and cannot change"):
        document.save()
    with pytest.raises(IllegalTransition, match="kept for the record"):
        document.delete()
    with pytest.raises(IllegalTransition, match="kept for the record"):
        contract.delete()
    assert approved_client_untouched(contract)


def approved_client_untouched(contract: Contract) -> bool:
    contract.client.refresh_from_db()
    return contract.client.status == ClientStatus.CREDIT_APPROVED


@pytest.mark.postgres
def test_the_database_refuses_to_change_terms_or_documents(draft_contract):
    with pytest.raises(Exception, match="fixed terms"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE contracts_contract SET terms = '{}' WHERE id = %s", [draft_contract.pk]
            )
    with pytest.raises(Exception, match="rows are final"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE contracts_contractdocument SET sha256 = 'x' WHERE contract_id = %s",
                [draft_contract.pk],
            )
