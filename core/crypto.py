"""Encryption of personal data at rest, behind a key-provider interface.

The local provider keeps a Fernet key in a file (created on first use, mode 0600). A PKCS#11
provider (an HSM, SoftHSM2 in tests, a certified 国密 module in production) implements the same
three methods. ``blind_index`` gives a keyed hash so encrypted values can still be looked up and
kept unique without decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.module_loading import import_string


class KeyProvider(Protocol):
    def encrypt(self, plaintext: bytes) -> bytes: ...

    def decrypt(self, ciphertext: bytes) -> bytes: ...

    def index_key(self) -> bytes: ...


class LocalKeyProvider:
    """A Fernet key in a local file; good for the demo and single-host installs."""

    def __init__(self, key_file: Path | None = None) -> None:
        path = Path(key_file or settings.FULCRUM_LOCAL_KEY_FILE)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
        self._key = path.read_bytes().strip()
        self._fernet = Fernet(self._key)

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def decrypt(self, ciphertext: bytes) -> bytes:
        return self._fernet.decrypt(ciphertext)

    def index_key(self) -> bytes:
        # A separate key derived for blind indexes, so the index never reveals the cipher key.
        return hashlib.sha256(
            b"fulcrum-blind-index:" + base64.urlsafe_b64decode(self._key)
        ).digest()


@lru_cache(maxsize=1)
def provider() -> KeyProvider:
    provider_class = import_string(settings.FULCRUM_KEY_PROVIDER)
    instance: KeyProvider = provider_class()
    return instance


class DecryptionError(Exception):
    pass


def encrypt_str(value: str) -> str:
    return provider().encrypt(value.encode()).decode()


def decrypt_str(token: str) -> str:
    try:
        return provider().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("stored value cannot be decrypted with the current key") from exc


def blind_index(value: str) -> str:
    """A keyed SHA-256 of a normalised value, for equality lookups on encrypted data."""
    normalised = value.strip().upper()
    return hmac.new(provider().index_key(), normalised.encode(), hashlib.sha256).hexdigest()
