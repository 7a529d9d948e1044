"""Identity verification behind a provider interface.

A verifier looks at a submitted client and answers ``PASSED``, ``FAILED`` or ``MANUAL``. Its
answer is kept with the review as evidence; a person still decides (maker-checker), so even a
provider that checks the ID against a government database only informs the reviewer. The
default provider is the manual review queue in the console. Choose one with the
``FULCRUM_IDENTITY_VERIFIER`` setting (a key registered with :func:`register_verifier`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

from core.exceptions import InvalidInput

if TYPE_CHECKING:
    from accounts.models import Client

PASSED = "passed"
FAILED = "failed"
MANUAL = "manual"


@dataclass(frozen=True)
class VerificationResult:
    outcome: str
    notes: list[str] = field(default_factory=list)


class IdentityVerifier(Protocol):
    key: str

    def verify(self, client: Client) -> VerificationResult: ...


class ManualReviewVerifier:
    """No automatic check: the submission waits in the console's "KYC to review" queue."""

    key = "manual"

    def verify(self, client: Client) -> VerificationResult:
        return VerificationResult(
            MANUAL,
            ["compare the ID card images with the details entered; check the bank account name"],
        )


_registry: dict[str, IdentityVerifier] = {"manual": ManualReviewVerifier()}


def register_verifier(verifier: IdentityVerifier) -> None:
    _registry[verifier.key] = verifier


def current_verifier() -> IdentityVerifier:
    key = getattr(settings, "FULCRUM_IDENTITY_VERIFIER", "manual")
    try:
        return _registry[key]
    except KeyError as exc:
        raise InvalidInput(
            f"identity verifier {key!r} is not registered; known: {', '.join(sorted(_registry))}"
        ) from exc
