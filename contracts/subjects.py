"""What a contract is about, and how it hears that the contract was signed or ended.

A contract names its subject by ``subject_kind`` (e.g. ``"credit_line"``) and ``subject_ref``
(that subject's id). When the contract is signed the signing service calls the registered
subject's ``on_signed`` inside the signing transaction; when a signed contract is terminated or
expires it calls ``on_terminated``. A subject that refuses (raises a ``DomainError``) rolls the
whole signing back: nothing is signed and nothing is activated. The daily job asks ``ended``
about every contract still awaiting signature and withdraws (expires) the offer once its subject
has ended (the credit line expired or was closed before signing).

Subjects live in apps to the left of contracts (credit), which cannot import this module; so the
adapter that calls, say, ``credit.services.credit_line_activate`` is written on the contracts
side and registered from ``ContractsConfig.ready()``. A contract with an empty ``subject_kind``
has no subject (a stand-alone contract); a contract naming a kind nobody registered cannot be
signed — it would otherwise be signed without activating what it promises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from core.exceptions import InvalidInput

if TYPE_CHECKING:
    from contracts.models import Contract


@runtime_checkable
class ContractSubject(Protocol):
    """The thing a contract puts into force (a credit line)."""

    kind: str

    def on_signed(self, contract: Contract, by: Any) -> None:
        """The contract was signed: put the subject into force (e.g. activate the credit line).

        Must be idempotent: a new version of a contract signs again for the same subject.
        """

    def on_terminated(self, contract: Contract, by: Any) -> None:
        """A signed contract was terminated or expired: stop the subject (e.g. suspend the line).

        ``by`` is ``None`` when the daily job ends the contract.
        """

    def ended(self, contract: Contract) -> str:
        """Why an unsigned contract can no longer put its subject into force (e.g. the credit
        line expired or was closed before signing), or ``""`` while it still can."""


_registry: dict[str, ContractSubject] = {}


def register_subject(subject: ContractSubject) -> None:
    if not subject.kind:
        raise ValueError("a contract subject needs a non-empty kind")
    _registry[subject.kind] = subject


def unregister_subject(kind: str) -> None:
    _registry.pop(kind, None)


def is_registered(kind: str) -> bool:
    return kind in _registry


def subject_for(kind: str) -> ContractSubject | None:
    """The subject registered for ``kind``; ``None`` for a stand-alone contract (empty kind)."""
    if not kind:
        return None
    try:
        return _registry[kind]
    except KeyError:
        raise InvalidInput(
            f"contracts about {kind!r} cannot be signed or ended here: nothing is registered to "
            "put them into force; ask an administrator",
            field="subject_kind",
        ) from None
