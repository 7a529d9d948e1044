"""Opening margin accounts and registering the client's own bank account."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import ClientStatus
from accounts.models import Client
from core import audit
from core.crypto import blind_index, encrypt_str
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput
from core.redaction import mask_identifier
from custody.models import MarginAccount

# A margin account can be opened once the firm may serve the client (KYC, suitability and
# screening clear) and for every later state of the relationship.
OPENABLE = {
    ClientStatus.ELIGIBLE,
    ClientStatus.CREDIT_APPROVED,
    ClientStatus.CONTRACT_SIGNED,
    ClientStatus.ACTIVE,
    ClientStatus.MARGIN_CALL,
    ClientStatus.LIQUIDATING,
}
_BANK_ACCOUNT = re.compile(r"^\d{8,30}$")


def normalise_bank_account(raw: str) -> str:
    number = re.sub(r"[\s-]", "", raw or "")
    if not _BANK_ACCOUNT.match(number):
        raise InvalidInput(
            "bank account number: 8–30 digits are required (spaces and dashes are ignored)",
            field="bank_account_no",
        )
    return number


@transaction.atomic
def margin_account_open(
    *,
    client: Client,
    by: Any,
    bank_name: str = "",
    bank_account_no: str = "",
    bank_account_holder: str = "",
) -> MarginAccount:
    """Open the client's one margin account (a second call returns the first)."""
    existing = MarginAccount.objects.filter(client=client).first()
    if existing is not None:
        return existing
    client = Client.objects.get(pk=client.pk)
    if client.status not in OPENABLE:
        raise IllegalTransition(
            f"a margin account can be opened only for an eligible client; {client} is "
            f"{client.get_status_display()}"
        )
    account = MarginAccount(
        client=client,
        account_no=f"M{client.client_no}",
        opened_at=timezone.now(),
        opened_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if bank_account_no:
        _set_bank(account, bank_name, bank_account_no, bank_account_holder or client.display_name)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        return MarginAccount.objects.get(client=client)
    return account


def _set_bank(account: MarginAccount, bank_name: str, number_raw: str, holder: str) -> None:
    number = normalise_bank_account(number_raw)
    if not bank_name.strip():
        raise InvalidInput("name the bank of the registered account", field="bank_name")
    account.bank_name = bank_name.strip()
    account.bank_account_holder = holder.strip()
    account.bank_account_cipher = encrypt_str(number)
    account.bank_account_index = blind_index(number)
    account.bank_account_masked = mask_identifier(number, keep_start=4, keep_end=4)


@transaction.atomic
def margin_account_register_bank(
    *,
    margin_account: MarginAccount,
    bank_name: str,
    bank_account_no: str,
    bank_account_holder: str,
    by: Any,
) -> MarginAccount:
    """Register (or replace) the client's own bank account: the only one money goes to."""
    account = MarginAccount.objects.select_for_update().get(pk=margin_account.pk)
    _set_bank(account, bank_name, bank_account_no, bank_account_holder)
    account.save()
    audit.record(
        action=AuditAction.APPROVAL,
        actor=by,
        obj=account,
        details={"change": "registered bank account", "account": account.bank_account_masked},
    )
    return account


def is_own_account(margin_account: MarginAccount, account_no: str) -> bool:
    if not account_no or not margin_account.bank_account_index:
        return False
    return blind_index(re.sub(r"[\s-]", "", account_no)) == margin_account.bank_account_index
