"""Identity and account numbers at rest: encrypted, blind-indexed, and masked for display."""

from __future__ import annotations

from dataclasses import dataclass

from core.crypto import blind_index, decrypt_str, encrypt_str
from core.redaction import mask_identifier


@dataclass(frozen=True)
class Sealed:
    encrypted: str
    index: str
    masked: str

    def fields(self, prefix: str = "id_number") -> dict[str, str]:
        """The model fields that hold one sealed number (``<prefix>_encrypted`` and so on)."""
        return {
            f"{prefix}_encrypted": self.encrypted,
            f"{prefix}_index": self.index,
            f"{prefix}_masked": self.masked,
        }


def seal(number: str) -> Sealed:
    """Encrypt ``number`` through the key provider; keep an index and a masked copy."""
    return Sealed(encrypted=encrypt_str(number), index=blind_index(number), masked=mask(number))


def mask(number: str) -> str:
    return mask_identifier(number, keep_start=3, keep_end=4)


def index_of(number: str) -> str:
    return blind_index(number)


def unseal(token: str) -> str:
    return decrypt_str(token)
