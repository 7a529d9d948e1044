"""The console: contract queues, audited downloads, termination, wording proposals and decisions."""

import html
import re

import pytest
from django.test import Client as HttpClient

from accounts.services import totp_current_code, totp_enrol
from contracts.models import ClauseVersion, Contract
from core.console import queues_for
from core.models import AuditEvent
from credit.services import credit_line_close
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def console_login(user) -> HttpClient:
    http = HttpClient()
    totp_enrol(user=user)
    response = http.post(
        "/console/login/",
        {
            "username": user.username,
            "password": DEFAULT_PASSWORD,
            "otp_token": totp_current_code(user=user),
            "next": "/console/",
        },
    )
    assert response.status_code == 302
    return http


def test_the_home_page_queues_count_contracts_awaiting_signature(issued_contract, ops):
    counts = {queue.key: count for queue, count in queues_for(ops)}
    assert counts["contracts.awaiting_signature"] == 1
    assert counts["contracts.expiring_soon"] == 0
    assert "contracts.clauseversion_to_approve" not in counts  # operations does not approve wording
    page = console_login(ops).get("/console/").content.decode()
    assert "Contracts awaiting signature" in page


def test_contracts_ending_soon_are_listed(issued_contract, request_code, sign, ops, frozen_now):
    sign(issued_contract, request_code(issued_contract))
    frozen_now.move_to("2026-08-10T09:00:00+08:00")
    counts = {queue.key: count for queue, count in queues_for(ops)}
    assert counts["contracts.expiring_soon"] == 1
    page = console_login(ops).get("/console/contracts/contract/?ending=soon").content.decode()
    assert issued_contract.contract_no in page


def test_a_download_is_audited(issued_contract, ops):
    http = console_login(ops)
    document = issued_contract.documents.get(kind="margin_contract")
    page = http.get(f"/console/contracts/contract/{issued_contract.pk}/change/").content.decode()
    assert document.sha256 in page
    response = http.get(f"/console/contracts/contract/document/{document.pk}/download/")
    assert response.status_code == 200
    assert response.getvalue() == document.pdf.read()
    export = AuditEvent.objects.get(action="export", actor=ops)
    assert export.details == {"document": "margin_contract", "sha256": document.sha256}


def test_staff_without_the_permission_cannot_download(issued_contract, make_staff):
    http = console_login(make_staff("finance"))
    document = issued_contract.documents.first()
    response = http.get(f"/console/contracts/contract/document/{document.pk}/download/")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_termination_from_the_console(issued_contract, request_code, sign, ops, subject):
    sign(issued_contract, request_code(issued_contract))
    http = console_login(ops)
    url = f"/console/contracts/contract/{issued_contract.pk}/terminate/"
    assert (
        "Terminate"
        in http.get(f"/console/contracts/contract/{issued_contract.pk}/change/").content.decode()
    )
    http.post(url, {"reason": "client asked to close"})
    assert Contract.objects.get(pk=issued_contract.pk).status == "terminated"
    assert len(subject.terminated) == 1


def test_wording_is_proposed_and_decided_in_the_console(compliance, compliance2):
    maker = console_login(compliance)
    current = ClauseVersion.objects.get(
        clause__code="margin_call", clause__language="en", status="approved"
    )
    form = maker.get(f"/console/contracts/clauseversion/add/?clause={current.clause_id}")
    assert "Margin Calls" in form.content.decode()  # starts from the wording in use
    maker.post(
        f"/console/contracts/clauseversion/add/?clause={current.clause_id}",
        {
            "clause": current.clause_id,
            "title": current.title,
            "body": current.body + "<p>6. Calls are also shown in the app.</p>",
            "reason": "mention the app",
        },
    )
    proposed = ClauseVersion.objects.get(clause=current.clause, status="proposed")
    waiting = {queue.key: count for queue, count in queues_for(compliance2)}
    assert waiting["contracts.clauseversion_to_approve"] == 1
    preview = maker.get(f"/console/contracts/clauseversion/{proposed.pk}/preview.pdf")
    assert preview.content.startswith(b"%PDF-")
    # The maker's own approval is refused in words, not with an error page.
    page = maker.post(
        f"/console/contracts/clauseversion/{proposed.pk}/decide/", {"_approve": "1"}, follow=True
    ).content.decode()
    assert "cannot approve it" in page
    checker = console_login(compliance2)
    checker.post(f"/console/contracts/clauseversion/{proposed.pk}/decide/", {"_approve": "1"})
    proposed.refresh_from_db()
    assert (proposed.status, proposed.checker) == ("approved", compliance2)


def test_a_bad_proposal_is_refused_with_its_reason(compliance):
    maker = console_login(compliance)
    current = ClauseVersion.objects.get(
        clause__code="custody", clause__language="en", status="approved"
    )
    page = maker.post(
        f"/console/contracts/clauseversion/add/?clause={current.clause_id}",
        {"clause": current.clause_id, "title": "Custody", "body": "{{ nonsense }}", "reason": "x"},
        follow=True,
    ).content.decode()
    assert "uses {{ nonsense }}, which is not a contract variable" in page
    assert not ClauseVersion.objects.filter(status="proposed").exists()


def test_every_contracts_console_page_opens(issued_contract, request_code, make_staff):
    request_code(issued_contract)
    http = console_login(make_staff("administrator"))
    template_version = issued_contract.documents.first().template_version
    clause_version = ClauseVersion.objects.filter(status="approved").earliest("pk")
    pages = [
        "/console/contracts/contract/",
        "/console/contracts/contract/?status__exact=issued",
        f"/console/contracts/contract/{issued_contract.pk}/change/",
        f"/console/contracts/contract/{issued_contract.pk}/history/",
        f"/console/contracts/contract/{issued_contract.pk}/terminate/",
        "/console/contracts/contracttemplate/",
        f"/console/contracts/contracttemplate/{template_version.template_id}/change/",
        "/console/contracts/templateversion/",
        f"/console/contracts/templateversion/{template_version.pk}/change/",
        f"/console/contracts/templateversion/add/?template={template_version.template_id}",
        f"/console/contracts/templateversion/{template_version.pk}/preview.pdf",
        "/console/contracts/clause/",
        "/console/contracts/clauseversion/",
        f"/console/contracts/clauseversion/{clause_version.pk}/change/",
        "/console/contracts/signingchallenge/",
        "/console/contracts/contract/credit-lines/",
        "/console/",
    ]
    statuses = {page: http.get(page).status_code for page in pages}
    assert statuses == dict.fromkeys(pages, 200)


PAGE = "/console/contracts/contract/credit-lines/"


def issue_form(page: str, line_pk: int) -> dict[str, str]:
    action = f"/console/contracts/contract/credit-lines/{line_pk}/issue/"
    assert action in page
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page)
    assert key is not None
    return {"package": "balanced", "idempotency_key": key.group(1)}


def test_a_credit_line_is_papered_from_the_console(pending_line, ops):
    # Given an approved line: it is on the queue and on the page with a package choice.
    counts = {queue.key: count for queue, count in queues_for(ops)}
    assert counts["contracts.credit_lines_to_paper"] == 1
    http = console_login(ops)
    assert "Credit lines without a contract" in http.get("/console/").content.decode()
    page = http.get(PAGE).content.decode()
    assert "Generate and issue the contract" in page
    assert '<option value="conservative">' in page and '<option value="balanced">' in page
    form = issue_form(page, pending_line.pk)

    # When the operator generates and issues it.
    response = http.post(f"{PAGE}{pending_line.pk}/issue/", form, follow=True)

    # Then the client has an issued contract for the line, and the page says where it is.
    contract = Contract.objects.get(subject_kind="credit_line", subject_ref=str(pending_line.pk))
    assert contract.status == "issued"
    assert response.redirect_chain[-1][0] == f"/console/contracts/contract/{contract.pk}/change/"
    assert f"{contract.contract_no}</a> was generated and issued to" in response.content.decode()
    assert {queue.key: count for queue, count in queues_for(ops)}[
        "contracts.credit_lines_to_paper"
    ] == 0
    page = http.get(PAGE).content.decode()
    assert f"{contract.contract_no}</a>" in page and "is out for signature" in page
    # A double submission of the same form replays the first answer.
    http.post(f"{PAGE}{pending_line.pk}/issue/", form)
    assert Contract.objects.count() == 1


def test_a_refusal_is_shown_as_a_message(pending_line, ops, risk_officer):
    http = console_login(ops)
    form = issue_form(http.get(PAGE).content.decode(), pending_line.pk)
    credit_line_close(credit_line=pending_line, by=risk_officer, reason="client declined")

    response = http.post(f"{PAGE}{pending_line.pk}/issue/", form, follow=True)

    assert response.redirect_chain[-1][0] == PAGE
    assert f"Credit line #{pending_line.pk} ({pending_line.client.client_no}) is closed" in (
        html.unescape(response.content.decode())
    )
    assert Contract.objects.count() == 0


def test_only_people_who_issue_contracts_see_the_page(pending_line, make_staff):
    http = console_login(make_staff("risk_officer"))
    assert http.get(PAGE).status_code == 403
    assert http.post(f"{PAGE}{pending_line.pk}/issue/", {"package": "balanced"}).status_code == 403
    assert Contract.objects.count() == 0
