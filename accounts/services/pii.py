"""Revealing a full identity or account number: compliance only, and always audited."""

from __future__ import annotations

from django.db import transaction

from accounts.models import AuthorisedTrader, BankAccount, Client, InstitutionProfile, PersonProfile
from accounts.pii import unseal
from accounts.services.common import require_perm, require_text
from core import audit
from core.enums import AuditAction
from core.exceptions import InvalidInput

Sealed = PersonProfile | InstitutionProfile | AuthorisedTrader


def _target(client: Client, what: str) -> tuple[str, str]:
    kind, _, ref = what.partition(":")
    if kind == "id" and hasattr(client, "person"):
        return client.person.id_number_encrypted, client.person.id_number_masked
    if kind == "id" and hasattr(client, "institution"):
        return client.institution.id_number_encrypted, client.institution.id_number_masked
    if kind == "bank" and ref.isdigit():
        account = BankAccount.objects.filter(client=client, pk=int(ref)).first()
        if account is not None:
            return account.number_encrypted, account.number_masked
    if kind == "trader" and ref.isdigit() and hasattr(client, "institution"):
        trader = client.institution.traders.filter(pk=int(ref)).first()
        if trader is not None:
            return trader.id_number_encrypted, trader.id_number_masked
    raise InvalidInput(f"what: {client} has no {what!r} to reveal", field="what")


@transaction.atomic
def pii_reveal(*, client: Client, what: str, by: object, reason: str) -> str:
    """The full number behind a masked one; the reveal is written to the audit log first."""
    require_perm(by, "accounts.reveal_pii", "reveal personal data")
    why = require_text(reason, "reason", "a reason for revealing personal data")
    token, masked = _target(client, what)
    audit.record(
        action=AuditAction.REVEAL,
        actor=by,
        obj=client,
        details={"field": what, "shown": masked, "reason": why},
    )
    return unseal(token)
