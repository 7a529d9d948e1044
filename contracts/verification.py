"""Turn what a visitor gives us (a PDF or a hash) into an exact SHA-256 to look up.

Only exact matches answer, so nobody can learn anything by trying near misses; nothing here
reads, parses or stores the uploaded PDF beyond hashing its bytes.
"""

from __future__ import annotations

import hashlib
import re
from typing import IO, Any

from contracts.selectors import Verification, verify_document
from core.exceptions import InvalidInput

# Contract PDFs are well under a megabyte; anything far larger is not one of ours.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sha256_from_text(text: str) -> str:
    digest = text.strip().lower()
    if not _SHA256.match(digest):
        raise InvalidInput(
            "a SHA-256 is 64 hexadecimal characters (0-9, a-f); check what you pasted",
            field="sha256",
        )
    return digest


def sha256_from_upload(upload: IO[bytes] | Any) -> str:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise InvalidInput("the file is too large to be a Fulcrum contract document", field="file")
    digest = hashlib.sha256()
    head = b""
    total = 0
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        if not head:
            head = chunk[:5]
        total += len(chunk)
        if total > MAX_UPLOAD_BYTES:
            raise InvalidInput(
                "the file is too large to be a Fulcrum contract document", field="file"
            )
        digest.update(chunk)
    if head != b"%PDF-":
        raise InvalidInput(
            "the file is not a PDF; upload the contract document itself", field="file"
        )
    return digest.hexdigest()


def verify(*, upload: Any = None, sha256: str = "") -> Verification:
    if (upload is None) == (not sha256.strip()):
        raise InvalidInput("give either the PDF or its SHA-256, not both or neither", field="file")
    digest = sha256_from_upload(upload) if upload is not None else sha256_from_text(sha256)
    return verify_document(sha256=digest)
