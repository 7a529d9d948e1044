"""Keep secrets and full identity numbers out of logs and audit details.

Resident ID numbers (18 characters, last may be X), bank card numbers (12–19 digits) and mobile
numbers are masked to their edges; keys that name secrets are dropped entirely.
"""

from __future__ import annotations

import re
from typing import Any

SECRET_KEYS = re.compile(r"pass(word)?|otp|token|secret|pin|cvv|api[_-]?key|signature", re.I)
# Long digit runs (IDs, cards, accounts), optionally ending in X: keep 3 leading, 4 trailing.
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{5,}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
REDACTED = "[redacted]"


def mask_text(text: str) -> str:
    text = _LONG_NUMBER.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def redact(value: Any) -> Any:
    """Return ``value`` with secrets removed and identity numbers masked, recursively."""
    if isinstance(value, dict):
        return {
            key: (REDACTED if SECRET_KEYS.search(str(key)) else redact(item))
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_identifier(value: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    """Mask for display: ``110105********002X``."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + value[-keep_end:]
