"""Public verification, by API and page: only an exact hash answers, with masked particulars."""

import hashlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
URL = "/api/v1/contracts/verify/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def test_an_uploaded_pdf_that_we_issued_is_recognised(api, issued_contract):
    document = issued_contract.documents.get(kind="margin_contract")
    upload = SimpleUploadedFile("contract.pdf", document.pdf.read(), "application/pdf")
    response = api.post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 200
    assert response.json() == {
        "matched": True,
        "sha256": document.sha256,
        "contract_no": "FC2026000001-01",
        "document_kind": "margin_contract",
        "document_title": "融资融券业务合同（融资）",
        "language": "zh-hans",
        "client_name_masked": "王*",
        "client_id_masked": "110105********002X",
        "issued_at": "2026-03-02T10:00:00+08:00",
        "signed_at": None,
        "status": "issued",
        "status_label": "Issued, awaiting signature",
    }


def test_a_hash_answers_too_and_shows_the_signature_time(api, issued_contract, request_code, sign):
    sign(issued_contract, request_code(issued_contract))
    document = issued_contract.documents.get(kind="custody_agreement")
    response = api.post(URL, {"sha256": document.sha256.upper()}, format="json")
    body = response.json()
    assert (body["matched"], body["status"], body["document_kind"]) == (
        True,
        "active",
        "custody_agreement",
    )
    assert body["signed_at"] == "2026-03-02T10:00:00+08:00"


def test_a_changed_pdf_does_not_match(api, issued_contract):
    content = issued_contract.documents.first().pdf.read() + b"\n"
    response = api.post(URL, {"file": SimpleUploadedFile("c.pdf", content)}, format="multipart")
    assert response.status_code == 200
    assert response.json()["matched"] is False
    assert response.json()["contract_no"] == ""
    assert response.json()["sha256"] == hashlib.sha256(content).hexdigest()


def test_drafts_are_unknown_to_the_public(api, draft_contract):
    document = draft_contract.documents.first()
    response = api.post(URL, {"sha256": document.sha256}, format="json")
    assert response.json()["matched"] is False


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"file": SimpleUploadedFile("x.pdf", b"GIF89a not a pdf")}, "the file is not a PDF"),
        ({"sha256": "abc123"}, "a SHA-256 is 64 hexadecimal characters"),
        ({}, "give either the PDF or its SHA-256"),
    ],
)
def test_garbage_is_refused_clearly(api, payload, message):
    response = api.post(URL, payload, format="multipart")
    assert response.status_code == 400
    assert response.json()["message"].startswith(message)


def test_the_schema_documents_the_endpoint(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/contracts/verify/" in response.content


def test_the_public_page_verifies_an_upload(client, issued_contract):
    assert client.get("/verify/").status_code == 200
    document = issued_contract.documents.get(kind="risk_disclosure")
    upload = SimpleUploadedFile("r.pdf", document.pdf.read(), "application/pdf")
    page = client.post("/verify/", {"file": upload}).content.decode()
    assert "Issued by Fulcrum" in page
    assert "融资融券交易风险揭示书" in page
    assert "王*" in page and "王芳" not in page


def test_the_public_page_says_no_match_and_refuses_garbage(client, issued_contract):
    page = client.post("/verify/", {"sha256": "0" * 64}).content.decode()
    assert "Not a Fulcrum document" in page
    page = client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", b"hello")}).content.decode()
    assert "the file is not a PDF" in page
