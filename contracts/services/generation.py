"""Writes: generate a contract bundle (or a new version of one) and issue it for signature."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.enums import ClientStatus
from accounts.models import Client
from contracts import lock_objects
from contracts.enums import BUNDLE_KINDS, LIVE_CONTRACT_STATUSES, ContractStatus, Language
from contracts.models import Contract
from contracts.rules import signing_rules
from contracts.selectors import live_contract_for_client
from contracts.services.documents import document_create
from contracts.services.lifecycle import supersede
from contracts.terms import ContractTerms
from core import audit
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.fsm import apply_transition

# A client may take a new version (re-papering) in any state in which the firm serves them.
NEW_VERSION_CLIENT_STATUSES = {
    ClientStatus.CREDIT_APPROVED,
    ClientStatus.CONTRACT_SIGNED,
    ClientStatus.ACTIVE,
    ClientStatus.MARGIN_CALL,
    ClientStatus.LIQUIDATING,
}


def _require_perm(actor: Any, perm: str, what: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionRefused(f"{actor} may not {what}")


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _language_for(client: Client, language: str | None) -> str:
    if language is None:
        user = client.user
        language = user.preferred_language if user is not None else Language.ZH_HANS
    if language not in Language.values:
        raise InvalidInput(
            f"language {language!r} is not one of {', '.join(Language.values)}", field="language"
        )
    return language


def _check_terms(client: Client, terms: ContractTerms, today: date) -> None:
    if terms.client_no != client.client_no:
        raise InvalidInput(
            f"these terms are for client {terms.client_no}, not {client.client_no}",
            field="client_no",
        )
    if terms.term_end < today:
        raise InvalidInput(
            f"the term ended on {terms.term_end}; a contract must still be in its term",
            field="term_end",
        )
    longest = signing_rules(today).max_term_months
    if terms.term_end > add_months(terms.term_start, longest):
        raise InvalidInput(
            f"the term {terms.term_start} – {terms.term_end} is longer than {longest} months, the "
            "longest a margin-financing contract may run; roll over with a new version instead",
            field="term_end",
        )


def _next_series(year: int) -> str:
    sequence = lock_objects.sequence_for_update(year)
    type(sequence).objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return f"FC{year}{sequence.last:06d}"


def _create(
    *,
    client: Client,
    terms: ContractTerms,
    language: str,
    series: str,
    version: int,
    by: Any,
    now: datetime,
    subject_kind: str,
    subject_ref: str,
    supersedes: Contract | None,
) -> Contract:
    contract = Contract.objects.create(
        contract_no=f"{series}-{version:02d}",
        series=series,
        version=version,
        client=client,
        language=language,
        subject_kind=subject_kind,
        subject_ref=subject_ref,
        terms=terms.to_json(),
        term_start=terms.term_start,
        term_end=terms.term_end,
        supersedes=supersedes,
        generated_at=now.replace(microsecond=0),
        generated_by=by,
    )
    for kind in BUNDLE_KINDS:
        document_create(contract=contract, kind=kind)
    audit.record(
        action=AuditAction.TRANSITION,
        actor=by,
        obj=contract,
        details={"event": "contract_generated", "client": client.client_no, "version": version},
    )
    return contract


@transaction.atomic
def contract_bundle_generate(
    *,
    client: Client,
    terms: ContractTerms,
    by: Any,
    language: str | None = None,
    subject_kind: str = "",
    subject_ref: str = "",
    now: datetime | None = None,
) -> Contract:
    """A draft contract bundle (contract, risk disclosure, custody agreement) as PDFs."""
    _require_perm(by, "contracts.issue_contract", "generate contracts")
    now = now or timezone.now()
    locked = lock_objects.client_for_update(client.pk)
    if locked.status != ClientStatus.CREDIT_APPROVED:
        raise IllegalTransition(
            f"client {locked.client_no} is {locked.get_status_display()}; a first contract is "
            "generated only once credit is approved"
        )
    live = live_contract_for_client(client_id=locked.pk)
    if live is not None:
        raise InvalidInput(
            f"client {locked.client_no} already has contract {live.contract_no} "
            f"({live.get_status_display()}); issue a new version of it instead",
            field="client",
        )
    _check_terms(locked, terms, timezone.localtime(now).date())
    return _create(
        client=locked,
        terms=terms,
        language=_language_for(locked, language),
        series=_next_series(timezone.localtime(now).year),
        version=1,
        by=by,
        now=now,
        subject_kind=subject_kind,
        subject_ref=subject_ref,
        supersedes=None,
    )


@transaction.atomic
def contract_new_version(
    *,
    contract: Contract,
    terms: ContractTerms,
    by: Any,
    language: str | None = None,
    now: datetime | None = None,
) -> Contract:
    """Changed terms: a new version of the contract that will replace this one.

    The old version stays as it is until the new one is issued (an unsigned old version is then
    superseded) or signed (a signed old version is then superseded).
    """
    _require_perm(by, "contracts.issue_contract", "generate contracts")
    now = now or timezone.now()
    client = lock_objects.client_for_update(contract.client_id)
    old = lock_objects.contract_for_update(contract.pk)
    if old.status not in LIVE_CONTRACT_STATUSES:
        raise IllegalTransition(
            f"contract {old.contract_no} is {old.get_status_display()}; generate a new contract "
            "instead of a new version"
        )
    pending = old.successors.filter(status__in=[ContractStatus.DRAFT, ContractStatus.ISSUED])
    if pending.exists():
        raise InvalidInput(
            f"version {pending.first()} of contract {old.contract_no} is already in preparation",
            field="contract",
        )
    if client.status not in NEW_VERSION_CLIENT_STATUSES:
        raise IllegalTransition(
            f"client {client.client_no} is {client.get_status_display()}; no new contract "
            "version can be offered"
        )
    _check_terms(client, terms, timezone.localtime(now).date())
    top = Contract.objects.filter(series=old.series).aggregate(top=Max("version"))["top"]
    return _create(
        client=client,
        terms=terms,
        language=_language_for(client, language or old.language),
        series=old.series,
        version=int(top) + 1,
        by=by,
        now=now,
        subject_kind=old.subject_kind,
        subject_ref=old.subject_ref,
        supersedes=old,
    )


@transaction.atomic
def contract_issue(*, contract: Contract, by: Any, now: datetime | None = None) -> Contract:
    """Offer a draft to the client; it may be signed until ``sign_by``."""
    _require_perm(by, "contracts.issue_contract", "issue contracts")
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    lock_objects.client_for_update(contract.client_id)
    ids = [contract.pk] + ([contract.supersedes_id] if contract.supersedes_id else [])
    locked = {c.pk: c for c in lock_objects.contracts_for_update(sorted(ids))}
    current = locked[contract.pk]
    if current.term_end < today:
        raise InvalidInput(
            f"contract {current.contract_no}'s term ended on {current.term_end}; generate a new "
            "version",
            field="term_end",
        )
    apply_transition(current, "issue", by=by, reason="offered to the client for signature")
    current.issued_at = now
    current.issued_by = by
    current.sign_by = today + timedelta(days=signing_rules(today).signing_window_days)
    current.save()
    previous = locked.get(current.supersedes_id) if current.supersedes_id else None
    if previous is not None and previous.status in (ContractStatus.DRAFT, ContractStatus.ISSUED):
        supersede(previous, by=by, successor=current, now=now)
    audit.record(
        action=AuditAction.TRANSITION,
        actor=by,
        obj=current,
        details={"event": "contract_issued", "sign_by": current.sign_by.isoformat()},
    )
    return current
