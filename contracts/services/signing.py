"""Writes: send a one-time signing code, and sign a contract bundle with it.

The code is six digits, stored only as a salted hash, valid for a few minutes, allows a few
wrong tries and works once. Signing records when, from which address and device, and the
SHA-256 of every document the client reviewed; then the contract's subject (the credit line) is
put into force and the client moves on — all in one transaction, so a refusal anywhere leaves
nothing signed and nothing activated.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.enums import ClientStatus
from contracts import lock_objects
from contracts.delivery import CodeDeliveryProvider, CodeMessage, default_provider, mask_address
from contracts.enums import ChallengeStatus, ContractStatus
from contracts.models import Contract, Signature, SigningChallenge
from contracts.rules import SigningRules, signing_rules
from contracts.services.generation import NEW_VERSION_CLIENT_STATUSES
from contracts.services.lifecycle import activate, supersede
from contracts.subjects import is_registered, subject_for
from core import audit
from core.enums import AuditAction, AuditOutcome
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.fsm import apply_transition
from core.idempotency import run_once
from core.transactions import call_on_commit

CODE_DIGITS = 6
SIGN_SCOPE = "contracts.sign"


class WrongSigningCode(InvalidInput):
    """A wrong code: refused like any bad input, and counted against the code afterwards."""

    def __init__(self, message: str, *, challenge_id: int) -> None:
        super().__init__(message, field="code")
        self.challenge_id = challenge_id


def _hhmm(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S")


def _ensure_signer(contract: Contract, by: Any) -> None:
    if contract.client.user_id is None or contract.client.user_id != getattr(by, "pk", None):
        raise PermissionRefused(
            f"only the client named in contract {contract.contract_no} may sign it"
        )


def _ensure_open(contract: Contract, today: date) -> None:
    """Refuse contracts that can no longer be signed, saying what to do instead."""
    if contract.status == ContractStatus.SUPERSEDED:
        newer = contract.successors.exclude(status=ContractStatus.DRAFT).order_by("-version")
        replacement = newer.first()
        raise IllegalTransition(
            f"contract {contract.contract_no} was replaced"
            + (
                f" by {replacement.contract_no}; review and sign that version"
                if replacement
                else ""
            )
            + " — it can no longer be signed"
        )
    expired = contract.status == ContractStatus.EXPIRED or (
        contract.status == ContractStatus.ISSUED and contract.sign_by and contract.sign_by < today
    )
    if expired:
        raise IllegalTransition(
            f"contract {contract.contract_no} could be signed until {contract.sign_by} and has "
            "expired; ask the firm to issue a new one"
        )
    subject = subject_for(contract.subject_kind) if is_registered(contract.subject_kind) else None
    ended = subject.ended(contract) if subject is not None else ""
    if contract.status == ContractStatus.ISSUED and ended:
        raise IllegalTransition(
            f"contract {contract.contract_no} can no longer be signed: {ended}; please contact "
            "the firm"
        )


def _code_message(contract: Contract, code: str, address: str, rules: SigningRules) -> CodeMessage:
    with translation.override(contract.language):
        subject = _("Your code to sign contract %(no)s") % {"no": contract.contract_no}
        body = _(
            "Your one-time code to sign contract %(no)s is %(code)s. It expires in %(minutes)d "
            "minutes and works once. The firm will never ask you for this code; do not share it."
        ) % {"no": contract.contract_no, "code": code, "minutes": rules.code_ttl_minutes}
    return CodeMessage(address=address, subject=subject, body=body)


@transaction.atomic
def signing_code_send(
    *,
    contract: Contract,
    by: Any,
    provider: CodeDeliveryProvider | None = None,
    now: datetime | None = None,
) -> SigningChallenge:
    """Send the client a fresh code for ``contract``; earlier unused codes stop working."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    lock_objects.client_for_update(contract.client_id)
    current = lock_objects.contract_for_update(contract.pk)
    _ensure_signer(current, by)
    _ensure_open(current, today)
    if current.status != ContractStatus.ISSUED:
        raise IllegalTransition(
            f"contract {current.contract_no} is {current.get_status_display()}; there is nothing "
            "to sign"
        )
    rules = signing_rules(today)
    latest = lock_objects.latest_challenge_for_update(current.pk)
    if latest is not None and latest.status == ChallengeStatus.PENDING:
        wait = rules.code_resend_seconds - int((now - latest.created_at).total_seconds())
        if wait > 0:
            raise InvalidInput(
                f"a code was sent at {_hhmm(latest.created_at)}; wait {wait} seconds before "
                "asking for another",
                field="code",
            )
    for pending in SigningChallenge.objects.filter(
        contract=current, status=ChallengeStatus.PENDING
    ):
        pending.status = ChallengeStatus.CANCELLED
        pending.save(update_fields=["status"])
    provider = provider or default_provider()
    address = provider.address_for(by)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    challenge = SigningChallenge.objects.create(
        contract=current,
        requested_by=by,
        code_hash=make_password(code),
        channel=provider.channel,
        recipient_masked=mask_address(address),
        max_attempts=rules.code_max_attempts,
        created_at=now,
        expires_at=now + timedelta(minutes=rules.code_ttl_minutes),
    )
    call_on_commit(provider.send, _code_message(current, code, address, rules))
    audit.record(
        action=AuditAction.TRANSITION,
        actor=by,
        obj=current,
        details={
            "event": "signing_code_sent",
            "channel": provider.channel,
            "sent_to": challenge.recipient_masked,
            "expires_at": challenge.expires_at.isoformat(),
        },
    )
    return challenge


def _check_code(challenge: SigningChallenge | None, code: str, now: datetime) -> SigningChallenge:
    if challenge is None:
        raise InvalidInput("ask for a signing code first", field="code")
    if challenge.status == ChallengeStatus.USED:
        raise InvalidInput(
            f"this one-time code was already used at {_hhmm(challenge.used_at or now)}; ask for a "
            "new code",
            field="code",
        )
    if challenge.status == ChallengeStatus.LOCKED or challenge.attempts >= challenge.max_attempts:
        raise InvalidInput(
            "too many wrong codes: this code is blocked; ask for a new code", field="code"
        )
    if now > challenge.expires_at:
        raise InvalidInput(
            f"the code expired at {_hhmm(challenge.expires_at)}; ask for a new code", field="code"
        )
    code = code.strip()
    if not (
        len(code) == CODE_DIGITS and code.isdigit() and check_password(code, challenge.code_hash)
    ):
        left = challenge.max_attempts - challenge.attempts - 1
        message = (
            f"the code is wrong; {left} attempt{'s' if left != 1 else ''} left"
            if left > 0
            else "the code is wrong and no attempts are left; ask for a new code"
        )
        raise WrongSigningCode(message, challenge_id=challenge.pk)
    return challenge


def _check_documents(contract: Contract, hashes: dict[str, str]) -> dict[str, str]:
    on_file = {d.kind: d.sha256 for d in contract.documents.all()}
    if {str(k): str(v).lower() for k, v in hashes.items()} != on_file:
        raise InvalidInput(
            f"the documents you reviewed are not the ones on file for contract "
            f"{contract.contract_no}; reload the page and review them again",
            field="documents",
        )
    return on_file


@transaction.atomic
def _count_wrong_code(challenge_id: int, by: Any) -> None:
    SigningChallenge.objects.filter(pk=challenge_id).update(attempts=F("attempts") + 1)
    challenge = SigningChallenge.objects.select_for_update().get(pk=challenge_id)
    if challenge.attempts >= challenge.max_attempts and challenge.status == ChallengeStatus.PENDING:
        challenge.status = ChallengeStatus.LOCKED
        challenge.save(update_fields=["status"])
    audit.record(
        action=AuditAction.PERMISSION_DENIED,
        actor=by,
        obj=challenge.contract,
        outcome=AuditOutcome.FAILURE,
        details={"event": "signing_code_wrong", "attempt": challenge.attempts},
    )


def contract_sign(
    *,
    contract: Contract,
    code: str,
    by: Any,
    ip_address: str | None,
    user_agent: str,
    document_hashes: dict[str, str],
    risk_acknowledged: bool,
    idempotency_key: str,
) -> dict[str, Any]:
    """Sign ``contract`` with the code sent to the client; replays return the first answer.

    Deliberately not wrapped in one transaction: signing runs in its own (inside ``run_once``),
    and a wrong code is counted in a second one after the first rolled back — otherwise the
    rollback would also undo the count and the attempt limit would never bite. Call it outside
    any open transaction (views do: ``ATOMIC_REQUESTS`` is off).
    """
    payload = {
        "contract": contract.pk,
        "by": getattr(by, "pk", None),
        "documents": dict(sorted(document_hashes.items())),
        "risk_acknowledged": risk_acknowledged,
    }

    def action() -> dict[str, Any]:
        return _sign(
            contract_id=contract.pk,
            code=code,
            by=by,
            ip_address=ip_address,
            user_agent=user_agent,
            document_hashes=document_hashes,
            risk_acknowledged=risk_acknowledged,
            idempotency_key=idempotency_key,
        )

    try:
        result, _replayed = run_once(
            scope=SIGN_SCOPE, key=idempotency_key, payload=payload, action=action, actor=by
        )
    except WrongSigningCode as error:
        _count_wrong_code(error.challenge_id, by)
        raise
    return result


@transaction.atomic
def _sign(
    *,
    contract_id: int,
    code: str,
    by: Any,
    ip_address: str | None,
    user_agent: str,
    document_hashes: dict[str, str],
    risk_acknowledged: bool,
    idempotency_key: str,
) -> dict[str, Any]:
    now = timezone.now()
    today = timezone.localtime(now).date()
    client_id, supersedes_id = Contract.objects.values_list("client_id", "supersedes_id").get(
        pk=contract_id
    )
    client = lock_objects.client_for_update(client_id)
    ids = sorted(pk for pk in (contract_id, supersedes_id) if pk is not None)
    locked = {c.pk: c for c in lock_objects.contracts_for_update(ids)}
    contract, previous = locked[contract_id], locked.get(supersedes_id)
    _ensure_signer(contract, by)
    _ensure_open(contract, today)
    challenge = _check_code(lock_objects.latest_challenge_for_update(contract.pk), code, now)
    if not risk_acknowledged:
        raise InvalidInput(
            "confirm that you have read and understood the risk disclosure",
            field="risk_acknowledged",
        )
    hashes = _check_documents(contract, document_hashes)
    if client.status not in NEW_VERSION_CLIENT_STATUSES:
        raise IllegalTransition(
            f"client {client.client_no} is {client.get_status_display()}; contracts cannot be "
            "signed now — please contact the firm"
        )
    subject = subject_for(contract.subject_kind)
    apply_transition(contract, "sign", by=by, reason="signed by the client with a one-time code")
    contract.save()
    challenge.status = ChallengeStatus.USED
    challenge.used_at = now
    challenge.save(update_fields=["status", "used_at"])
    signature = Signature.objects.create(
        contract=contract,
        signed_at=now,
        signed_by=by,
        ip_address=ip_address,
        user_agent=user_agent[:300],
        document_hashes=hashes,
        challenge=challenge,
        risk_acknowledged=True,
    )
    if previous is not None and previous.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE):
        supersede(previous, by=by, successor=contract, now=now)
    if subject is not None:
        subject.on_signed(contract, by)
    if client.status == ClientStatus.CREDIT_APPROVED:
        apply_transition(client, "sign_contract", by=by, reason=f"signed contract {contract}")
        client.save()
    if contract.term_start <= today:
        activate(contract, client, by=by, now=now)
    audit.record(
        action=AuditAction.TRANSITION,
        actor=by,
        obj=contract,
        source_ip=ip_address,
        details={"event": "contract_signed", "documents": hashes, "key": idempotency_key[:64]},
    )
    return {
        "contract_no": contract.contract_no,
        "status": contract.status,
        "signed_at": signature.signed_at.isoformat(),
    }
