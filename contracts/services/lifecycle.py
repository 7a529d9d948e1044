"""Writes: a contract comes into force, ends (terminated or expired) or is superseded.

``contracts_daily`` is the scheduled part: unsigned offers whose subject has ended (the credit
line expired or was closed before signing) are withdrawn, unsigned offers past their deadline
expire, signed contracts whose term has started come into force, and contracts whose term has
ended expire.
Each contract is handled in its own transaction, and running it twice changes nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.enums import ClientStatus
from accounts.models import Client
from contracts import lock_objects
from contracts.enums import ContractStatus
from contracts.models import Contract
from contracts.subjects import is_registered, subject_for
from core import audit
from core.enums import AuditAction
from core.exceptions import InvalidInput, PermissionRefused
from core.fsm import apply_transition


def supersede(old: Contract, *, by: Any, successor: Contract, now: datetime) -> None:
    """The caller holds the lock on ``old``."""
    apply_transition(old, "supersede", by=by, reason=f"replaced by {successor.contract_no}")
    old.ended_at = now
    old.end_reason = f"replaced by {successor.contract_no}"
    old.save()


def activate(contract: Contract, client: Client, *, by: Any, now: datetime) -> None:
    """The contract comes into force; a newly signed client becomes active. Locks held."""
    apply_transition(contract, "activate", by=by, reason="the term has started")
    contract.activated_at = now
    contract.save()
    if client.status == ClientStatus.CONTRACT_SIGNED:
        apply_transition(client, "activate", by=by, reason=f"contract {contract} in force")
        client.save()


def _end(contract: Contract, *, step: str, by: Any, reason: str, now: datetime) -> None:
    was_signed = contract.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE)
    apply_transition(contract, step, by=by, reason=reason)
    contract.ended_at = now
    contract.end_reason = reason
    contract.save()
    if was_signed:
        subject = subject_for(contract.subject_kind)
        if subject is not None:
            subject.on_terminated(contract, by)
    audit.record(
        action=AuditAction.TRANSITION,
        actor=by,
        obj=contract,
        details={"event": f"contract_{contract.status}", "reason": reason},
    )


@transaction.atomic
def contract_terminate(
    *, contract: Contract, by: Any, reason: str, now: datetime | None = None
) -> Contract:
    """End a signed contract early; its subject (the credit line) is stopped."""
    if not by.has_perm("contracts.terminate_contract"):
        raise PermissionRefused(f"{by} may not terminate contracts")
    if not reason.strip():
        raise InvalidInput("say why the contract is terminated", field="reason")
    lock_objects.client_for_update(contract.client_id)
    locked = lock_objects.contract_for_update(contract.pk)
    _end(locked, step="terminate", by=by, reason=reason.strip(), now=now or timezone.now())
    return locked


@dataclass(frozen=True)
class DailyResult:
    expired_unsigned: int
    activated: int
    expired_ended: int
    withdrawn: int = 0


@transaction.atomic
def _withdraw_if_subject_ended(contract_id: int, now: datetime) -> bool:
    contract = lock_objects.contract_for_update(contract_id)
    if contract.status != ContractStatus.ISSUED or not is_registered(contract.subject_kind):
        return False
    subject = subject_for(contract.subject_kind)
    ended = subject.ended(contract) if subject is not None else ""
    if not ended:
        return False
    _end(contract, step="expire", by=None, reason=f"withdrawn: {ended}", now=now)
    return True


@transaction.atomic
def _expire_unsigned(contract_id: int, today: date, now: datetime) -> bool:
    contract = lock_objects.contract_for_update(contract_id)
    if (
        contract.status != ContractStatus.ISSUED
        or not contract.sign_by
        or contract.sign_by >= today
    ):
        return False
    _end(contract, step="expire", by=None, reason=f"not signed by {contract.sign_by}", now=now)
    return True


@transaction.atomic
def _activate_due(contract_id: int, client_id: int, today: date, now: datetime) -> bool:
    client = lock_objects.client_for_update(client_id)
    contract = lock_objects.contract_for_update(contract_id)
    if contract.status != ContractStatus.SIGNED or contract.term_start > today:
        return False
    activate(contract, client, by=None, now=now)
    return True


@transaction.atomic
def _expire_ended(contract_id: int, today: date, now: datetime) -> bool:
    contract = lock_objects.contract_for_update(contract_id)
    live = (ContractStatus.SIGNED, ContractStatus.ACTIVE)
    if contract.status not in live or contract.term_end >= today:
        return False
    _end(contract, step="expire", by=None, reason=f"term ended on {contract.term_end}", now=now)
    return True


def contracts_daily(*, today: date | None = None, now: datetime | None = None) -> DailyResult:
    """Run the day's contract transitions (safe to run again)."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    offered = Contract.objects.filter(status=ContractStatus.ISSUED).exclude(subject_kind="")
    withdrawn = sum(
        _withdraw_if_subject_ended(pk, now)
        for pk in offered.order_by("pk").values_list("pk", flat=True)
    )
    issued = Contract.objects.filter(status=ContractStatus.ISSUED, sign_by__lt=today)
    signed = Contract.objects.filter(status=ContractStatus.SIGNED, term_start__lte=today)
    ended = Contract.objects.filter(
        status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE], term_end__lt=today
    )
    expired_unsigned = sum(
        _expire_unsigned(pk, today, now) for pk in issued.values_list("pk", flat=True)
    )
    activated = sum(
        _activate_due(pk, client_id, today, now)
        for pk, client_id in signed.values_list("pk", "client_id")
    )
    expired_ended = sum(_expire_ended(pk, today, now) for pk in ended.values_list("pk", flat=True))
    return DailyResult(expired_unsigned, activated, expired_ended, withdrawn)
