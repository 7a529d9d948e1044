"""Uploads: judged by content, limited in size, hashed, and served only to those who may see."""

import hashlib
from pathlib import Path

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.enums import DocumentType, StaffRole
from accounts.models import KycContribution, KycDocument
from accounts.services import Upload, document_upload, totp_enrol
from core.exceptions import InvalidInput
from tests.accounts.factories import JPEG, PDF, PNG, register_person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_document_is_stored_under_an_unguessable_name_with_its_hash(ops, _media):
    client = register_person(ops)
    document = document_upload(
        client=client,
        doc_type=DocumentType.ID_FRONT,
        upload=Upload("../../张伟 身份证.jpg", JPEG),
        by=ops,
    )
    assert document.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert (document.content_type, document.size) == ("image/jpeg", len(JPEG))
    assert document.original_name == "张伟 身份证.jpg"
    stored = Path(document.file.path)
    assert stored.parent == Path(_media) / "kyc"
    assert len(stored.stem) == 32 and client.client_no not in stored.name
    assert stored.read_bytes() == JPEG


def test_the_same_file_twice_is_one_document(ops):
    client = register_person(ops)
    first = document_upload(
        client=client, doc_type=DocumentType.ID_BACK, upload=Upload("b.png", PNG), by=ops
    )
    again = document_upload(
        client=client, doc_type=DocumentType.ID_BACK, upload=Upload("b2.png", PNG), by=ops
    )
    assert first == again and KycDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (Upload("scan.pdf", b"MZ\x90\x00 not a pdf"), "file: the content is not a recognised"),
        (Upload("photo.png", b"GIF89a" + b"\x00" * 20), "judged by its bytes, not its name"),
        (Upload("empty.pdf", b""), "file: the file is empty"),
    ],
)
def test_bad_files_are_refused_leaving_no_row_and_no_file(ops, _media, upload, message):
    client = register_person(ops)
    contributions = KycContribution.objects.count()
    with pytest.raises(InvalidInput, match=message) as error:
        document_upload(client=client, doc_type=DocumentType.ID_FRONT, upload=upload, by=ops)
    assert error.value.field == "file"
    assert not KycDocument.objects.exists()
    assert KycContribution.objects.count() == contributions
    assert _files(Path(_media)) == []


def test_the_size_limit_is_a_parameter(ops, _media, monkeypatch):
    from accounts import rules

    real = rules.kyc

    def small(on):
        snap = real(on)
        return {**snap.values, "max_upload_bytes": 1024}

    monkeypatch.setattr(rules, "kyc", small)
    client = register_person(ops)
    with pytest.raises(InvalidInput, match="file: 2,048 bytes is over the limit of 1,024 bytes"):
        document_upload(
            client=client,
            doc_type=DocumentType.PROOF_OF_ASSETS,
            upload=Upload("big.pdf", PDF + b"x" * (2048 - len(PDF))),
            by=ops,
        )
    assert not KycDocument.objects.exists() and _files(Path(_media)) == []


def _signed_in(user) -> HttpClient:
    device = totp_enrol(user=user).device
    http = HttpClient()
    http.force_login(user)
    session = http.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return http


@pytest.fixture
def two_clients(ops):
    mine = register_person(ops)
    theirs = register_person(ops, name="李娜", sex="F", serial=5)
    for client in (mine, theirs):
        client.user = UserFactory.create()
        client.save()
    doc_mine = document_upload(
        client=mine, doc_type=DocumentType.ID_FRONT, upload=Upload("a.png", PNG), by=ops
    )
    doc_theirs = document_upload(
        client=theirs, doc_type=DocumentType.ID_FRONT, upload=Upload("b.pdf", PDF), by=ops
    )
    return mine, doc_mine, doc_theirs


def test_a_client_opens_their_own_document_but_never_anothers(two_clients):
    mine, doc_mine, doc_theirs = two_clients
    http = _signed_in(mine.user)
    own = http.get(reverse("accounts:document", args=[doc_mine.pk]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PNG  # type: ignore[attr-defined]
    assert own["Content-Type"] == "image/png" and own["Cache-Control"] == "private, no-store"
    assert http.get(reverse("accounts:document", args=[doc_theirs.pk])).status_code == 404


def test_documents_need_the_second_factor(two_clients):
    mine, doc_mine, _ = two_clients
    http = HttpClient()
    http.force_login(mine.user)
    assert http.get(reverse("accounts:document", args=[doc_mine.pk])).status_code == 403


def test_staff_need_the_permission(two_clients, make_staff):
    _, doc_mine, _ = two_clients
    finance = make_staff(StaffRole.FINANCE)
    assert (
        _signed_in(finance).get(reverse("accounts:document", args=[doc_mine.pk])).status_code == 403
    )
    compliance = make_staff(StaffRole.COMPLIANCE)
    assert (
        _signed_in(compliance).get(reverse("accounts:document", args=[doc_mine.pk])).status_code
        == 200
    )
