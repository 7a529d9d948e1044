"""Document uploads: type by content (magic bytes), size limit, SHA-256, unguessable file name.

Limits come from the ``kyc-rules`` parameters in force. A refused file leaves neither a row nor
a file behind; a file stored before a failed insert is removed again. (A caller's transaction
that rolls back *after* this service returned leaves an unreferenced file, never a row; such
files carry no name and are found by comparing ``kyc/`` with the table.)
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction

from accounts import rules
from accounts.enums import ClientStatus, ContributionKind, DocumentType
from accounts.lock_objects import client_for_update
from accounts.models import Client, KycDocument, User
from accounts.services.common import contribute, ensure_editable, require_perm, today
from core.exceptions import InvalidInput

MAGIC = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSION = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
# Identity documents are part of the reviewed KYC file and lock with it; evidence of assets,
# income or experience may be added later (e.g. for a professional-investor application).
IDENTITY_DOCUMENTS = {
    DocumentType.ID_FRONT,
    DocumentType.ID_BACK,
    DocumentType.BUSINESS_LICENCE,
    DocumentType.AUTHORISATION_LETTER,
}


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def sniff(content: bytes) -> str | None:
    for kind, prefixes in MAGIC.items():
        if any(content.startswith(p) for p in prefixes):
            return kind
    return None


def _check(upload: Upload, doc_type: str, on: date) -> str:
    if doc_type not in DocumentType.values:
        raise InvalidInput(
            f"doc_type: {doc_type!r} is not a document type; choose one of "
            f"{', '.join(DocumentType.values)}",
            field="doc_type",
        )
    limits = rules.kyc(on)
    if not upload.content:
        raise InvalidInput("file: the file is empty", field="file")
    if len(upload.content) > limits["max_upload_bytes"]:
        raise InvalidInput(
            f"file: {len(upload.content):,} bytes is over the limit of "
            f"{limits['max_upload_bytes']:,} bytes",
            field="file",
        )
    kind = sniff(upload.content)
    allowed = list(limits["allowed_file_types"])
    if kind is None or kind not in allowed:
        found = kind or "not a recognised document"
        raise InvalidInput(
            f"file: the content is {found} (judged by its bytes, not its name); accepted: "
            f"{', '.join(allowed)}",
            field="file",
        )
    return kind


def _safe_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name
    return "".join(c for c in base if c.isprintable())[:150] or "upload"


@transaction.atomic
def document_upload(
    *, client: Client, doc_type: str, upload: Upload, by: User, on: date | None = None
) -> KycDocument:
    """Store a document for ``client``; the same file uploaded again returns the first row."""
    require_perm(by, "accounts.add_kycdocument", "upload client documents")
    locked = client_for_update(client)
    if doc_type in IDENTITY_DOCUMENTS or locked.status == ClientStatus.CLOSED:
        ensure_editable(locked)
    kind = _check(upload, doc_type, on or today())
    digest = hashlib.sha256(upload.content).hexdigest()
    existing = KycDocument.objects.filter(client=locked, doc_type=doc_type, sha256=digest).first()
    if existing is not None:
        return existing
    document = KycDocument(
        client=locked,
        doc_type=doc_type,
        content_type=rules.FILE_TYPES[kind],
        size=len(upload.content),
        sha256=digest,
        original_name=_safe_name(upload.name),
        uploaded_by=by,
    )
    # 128 random bits: the stored name says nothing about the client or the document.
    stored_name = f"{secrets.token_hex(16)}.{EXTENSION[kind]}"
    document.file.save(stored_name, ContentFile(upload.content), save=False)
    try:
        with transaction.atomic():
            document.save()
            contribute(client=locked, user=by, kind=ContributionKind.UPLOADED, what=doc_type)
    except Exception:
        document.file.delete(save=False)
        raise
    return document
