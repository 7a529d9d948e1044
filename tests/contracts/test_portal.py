"""The client's portal pages: review the bundle, ask for a code, sign; nobody else sees it."""

import re

import pytest
from django.core import mail

from accounts.services import totp_current_code, totp_enrol
from contracts.models import Contract, Signature
from tests.contracts.conftest import SIX_DIGITS, make_credit_approved_client
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def portal_login(http, user) -> None:
    totp_enrol(user=user)
    response = http.post(
        "/login/",
        {
            "username": user.username,
            "password": DEFAULT_PASSWORD,
            "otp_token": totp_current_code(user=user),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def signed_in(client, issued_contract):
    portal_login(client, issued_contract.client.user)
    return client


def test_the_client_reviews_asks_for_a_code_and_signs(
    signed_in, issued_contract, subject, django_capture_on_commit_callbacks
):
    url = f"/contracts/{issued_contract.contract_no}/"
    assert issued_contract.contract_no in signed_in.get("/contracts/").content.decode()
    page = signed_in.get(url).content.decode()
    for document in issued_contract.documents.all():
        assert document.sha256 in page
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"{url}code/")
    assert response.status_code == 302
    match = SIX_DIGITS.search(str(mail.outbox[0].body))
    assert match is not None
    key = re.search(
        r'name="idempotency_key" value="([0-9a-f]+)"', signed_in.get(url).content.decode()
    )
    assert key is not None
    form = {
        "code": match.group(0),
        "risk_acknowledged": "yes",
        "idempotency_key": key.group(1),
        **{f"document_{d.kind}": d.sha256 for d in issued_contract.documents.all()},
    }
    response = signed_in.post(f"{url}sign/", form, HTTP_USER_AGENT="PortalTest/1.0", follow=True)
    assert "Contract FC2026000001-01 is signed." in response.content.decode()
    signature = Signature.objects.get(contract=issued_contract)
    assert (signature.ip_address, signature.user_agent) == ("127.0.0.1", "PortalTest/1.0")
    assert Contract.objects.get(pk=issued_contract.pk).status == "active"
    assert len(subject.signed) == 1


def test_a_refused_signature_is_explained_on_the_page(signed_in, issued_contract, subject):
    url = f"/contracts/{issued_contract.contract_no}/"
    response = signed_in.post(
        f"{url}sign/", {"code": "123456", "idempotency_key": "k1"}, follow=True
    )
    assert "ask for a signing code first" in response.content.decode()
    assert Contract.objects.get(pk=issued_contract.pk).status == "issued"


def test_the_client_downloads_their_own_pdf(signed_in, issued_contract):
    document = issued_contract.documents.get(kind="margin_contract")
    response = signed_in.get(f"/contracts/{issued_contract.contract_no}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF-")


def test_another_client_sees_nothing(client, issued_contract, ops):
    other = make_credit_approved_client(ops)
    portal_login(client, other.user)
    document = issued_contract.documents.first()
    base = f"/contracts/{issued_contract.contract_no}/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}documents/{document.pk}/").status_code == 404
    assert client.post(f"{base}code/").status_code == 404
    assert issued_contract.contract_no not in client.get("/contracts/").content.decode()


def test_pages_need_a_signed_in_client(client, issued_contract):
    response = client.get(f"/contracts/{issued_contract.contract_no}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_still_works_and_links_to_contracts(signed_in):
    page = signed_in.get("/").content.decode()
    assert 'href="/contracts/"' in page
