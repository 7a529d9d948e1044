"""KYC review: submit (documents, bank account, screening, verifier), verify or reject.

Maker-checker: whoever entered the client, submitted it, or entered / edited / uploaded anything
in the open review cycle may not decide it. Each decision closes the cycle; edits after a
rejection start the next one.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import rules
from accounts.enums import ClientKind, ContributionKind, DocumentType, KycDecision, RiskRating
from accounts.lock_objects import client_for_update
from accounts.models import Client, KycContribution, KycReview, User
from accounts.services.common import contribute, require_perm, today
from accounts.services.screening import client_screen
from accounts.verification import current_verifier
from core import audit
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput
from core.fsm import apply_transition
from core.sod import ensure_not_among


def _missing_documents(client: Client, on: date) -> list[str]:
    limits = rules.kyc(on)
    key = (
        "required_documents_person"
        if client.kind == ClientKind.PERSON
        else "required_documents_institution"
    )
    present = set(client.documents.values_list("doc_type", flat=True))
    return [str(DocumentType(t).label) for t in limits[key] if t not in present]


def _check_complete(client: Client, on: date) -> None:
    profile_exists = (
        hasattr(client, "person")
        if client.kind == ClientKind.PERSON
        else hasattr(client, "institution")
    )
    if not profile_exists:
        raise InvalidInput("client: enter the identity details first", field="client")
    missing = _missing_documents(client, on)
    if missing:
        raise InvalidInput(
            f"documents: upload {', '.join(missing)} before submitting for review",
            field="documents",
        )
    if not client.bank_accounts.filter(active=True).exists():
        raise InvalidInput(
            "bank_account: record the client's own bank account before submitting",
            field="bank_account",
        )


@transaction.atomic
def kyc_submit(*, client: Client, by: User, on: date | None = None) -> KycReview:
    """Hand the client's KYC in for review: complete data, screened, verifier consulted."""
    require_perm(by, "accounts.change_client", "submit clients for review")
    locked = client_for_update(client)
    day = on or today()
    apply_transition(locked, "submit_kyc", by=by, reason="submitted for KYC review")
    _check_complete(locked, day)
    locked.save()
    contribute(client=locked, user=by, kind=ContributionKind.SUBMITTED)
    client_screen(client=locked, on=day)
    verifier = current_verifier()
    result = verifier.verify(locked)
    return KycReview.objects.create(
        client=locked,
        cycle=locked.kyc_cycle,
        submitted_by=by,
        verifier=verifier.key,
        verifier_outcome=result.outcome,
        verifier_notes=result.notes,
    )


def kyc_makers(client: Client) -> list[User]:
    """Everyone who may not decide the open review of ``client``."""
    ids = set(
        KycContribution.objects.filter(client=client, cycle=client.kyc_cycle).values_list(
            "user_id", flat=True
        )
    )
    if client.entered_by_id:
        ids.add(client.entered_by_id)
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _open_review(client: Client) -> KycReview:
    review = (
        KycReview.objects.select_for_update()
        .filter(client=client, cycle=client.kyc_cycle, decision=KycDecision.PENDING)
        .first()
    )
    if review is None:
        raise IllegalTransition(f"client {client} has no KYC submission waiting for a decision")
    return review


def _decide(client: Client, by: User, step: str, reason: str) -> tuple[Client, KycReview]:
    require_perm(by, "accounts.review_kyc", "decide KYC reviews")
    locked = client_for_update(client)
    apply_transition(locked, step, by=by, reason=reason)
    review = _open_review(locked)
    ensure_not_among(people=kyc_makers(locked), approver=by, what=f"the KYC of {locked}")
    review.decided_by = by
    review.decided_at = timezone.now()
    return locked, review


@transaction.atomic
def kyc_verify(*, client: Client, by: User, risk_rating: str, note: str = "") -> Client:
    """Identity confirmed by a second person, who also sets the money-laundering risk rating."""
    if risk_rating not in RiskRating.values:
        raise InvalidInput(
            f"risk_rating: choose one of {', '.join(RiskRating.values)}", field="risk_rating"
        )
    locked, review = _decide(client, by, "verify_kyc", note.strip() or "KYC verified")
    review.decision = KycDecision.VERIFIED
    review.risk_rating = risk_rating
    review.save()
    locked.risk_rating = risk_rating
    locked.kyc_cycle += 1
    locked.save()
    audit.record(action=AuditAction.APPROVAL, actor=by, obj=locked, details={"kyc": "verified"})
    return locked


@transaction.atomic
def kyc_reject(*, client: Client, by: User, reasons: list[str]) -> Client:
    """Send the KYC back with reasons the client can act on (one per thing to fix)."""
    cleaned = [" ".join(r.split()) for r in reasons if r and r.strip()]
    if not cleaned:
        raise InvalidInput(
            "reasons: say what the client must fix (for example: upload a readable ID back)",
            field="reasons",
        )
    locked, review = _decide(client, by, "reject_kyc", "; ".join(cleaned))
    review.decision = KycDecision.REJECTED
    review.reasons = cleaned
    review.save()
    locked.kyc_cycle += 1
    locked.save()
    audit.record(action=AuditAction.REJECTION, actor=by, obj=locked, details={"reasons": cleaned})
    return locked
