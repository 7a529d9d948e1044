"""Reads for contracts, scoped to who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404

from contracts.credit_line_subject import CREDIT_LINE
from contracts.enums import LIVE_CONTRACT_STATUSES, ContractStatus, VersionStatus
from contracts.formatting import mask_name
from contracts.models import ClauseVersion, Contract, ContractDocument, TemplateVersion
from core.exceptions import InvalidInput
from credit.enums import CreditLineStatus
from credit.models import CreditLine


def approved_template_version(*, kind: str, language: str) -> TemplateVersion:
    version = (
        TemplateVersion.objects.select_related("template")
        .filter(template__kind=kind, template__language=language, status=VersionStatus.APPROVED)
        .first()
    )
    if version is None:
        raise InvalidInput(
            f"no approved template for {kind} in {language}; approve one in the console first",
            field="language",
        )
    return version


def approved_clause_versions(*, language: str, codes: list[str]) -> dict[str, ClauseVersion]:
    versions = {
        v.clause.code: v
        for v in ClauseVersion.objects.select_related("clause").filter(
            clause__language=language, clause__code__in=codes, status=VersionStatus.APPROVED
        )
    }
    missing = [code for code in codes if code not in versions]
    if missing:
        raise InvalidInput(
            f"no approved version of clause {missing[0]!r} in {language}; approve one first",
            field="body",
        )
    return versions


def live_contract_for_client(*, client_id: int) -> Contract | None:
    return (
        Contract.objects.filter(client_id=client_id, status__in=LIVE_CONTRACT_STATUSES)
        .order_by("-version", "-id")
        .first()
    )


def contracts_for_client(*, client: Any) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(client=client)
        .exclude(status=ContractStatus.DRAFT)
        .prefetch_related("documents")
        .select_related("signature")
        .order_by("-generated_at", "-id")
    )


def contract_for_client(*, client: Any, contract_no: str) -> Contract:
    """The client's own contract (never a draft), or 404 — the same answer for someone else's."""
    contract = (
        contracts_for_client(client=client).select_related("client").filter(contract_no=contract_no)
    ).first()
    if contract is None:
        raise Http404("no such contract")
    return contract


def document_for_client(*, client: Any, contract_no: str, document_id: int) -> ContractDocument:
    contract = contract_for_client(client=client, contract_no=contract_no)
    document = contract.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404("no such document")
    return document


def _live_contracts_of_line() -> QuerySet[Contract]:
    return Contract.objects.filter(
        subject_kind=CREDIT_LINE,
        subject_ref=Cast(OuterRef("pk"), output_field=CharField()),
        status__in=LIVE_CONTRACT_STATUSES,
    )


def credit_lines_waiting_for_contract() -> QuerySet[CreditLine]:
    """Approved lines not yet in force, each with ``live_contract_no``: the number of the
    contract out for signature, or ``None`` when none has been issued yet."""
    live = _live_contracts_of_line().order_by("-version", "-pk").values("contract_no")[:1]
    return (
        CreditLine.objects.filter(status=CreditLineStatus.PENDING_CONTRACT)
        .select_related("client")
        .prefetch_related("packages")
        .annotate(live_contract_no=Subquery(live))
        .order_by("valid_from", "pk")
    )


def credit_lines_without_contract() -> QuerySet[CreditLine]:
    return CreditLine.objects.filter(status=CreditLineStatus.PENDING_CONTRACT).exclude(
        Exists(_live_contracts_of_line())
    )


def issued_awaiting_signature() -> QuerySet[Contract]:
    return Contract.objects.filter(status=ContractStatus.ISSUED)


def expiring_soon(*, today: date, within_days: int) -> QuerySet[Contract]:
    return Contract.objects.filter(
        status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE],
        term_end__gte=today,
        term_end__lte=today + timedelta(days=within_days),
    )


def proposed_wording_count(*, model: str) -> int:
    versions = TemplateVersion if model == "templateversion" else ClauseVersion
    return versions.objects.filter(status=VersionStatus.PROPOSED).count()


@dataclass(frozen=True)
class Verification:
    """What the public may learn about a document from its exact hash: nothing more."""

    sha256: str
    matched: bool
    contract_no: str = ""
    document_kind: str = ""
    document_title: str = ""
    language: str = ""
    client_name_masked: str = ""
    client_id_masked: str = ""
    issued_at: datetime | None = None
    signed_at: datetime | None = None
    status: str = ""
    status_label: str = ""


def verify_document(*, sha256: str) -> Verification:
    """Look up an exact SHA-256; drafts (never issued) are unknown to the public."""
    document = (
        ContractDocument.objects.select_related("contract", "contract__signature")
        .filter(sha256=sha256, contract__issued_at__isnull=False)
        .first()
    )
    if document is None:
        return Verification(sha256=sha256, matched=False)
    contract = document.contract
    terms = contract.terms
    signature = getattr(contract, "signature", None)
    return Verification(
        sha256=sha256,
        matched=True,
        contract_no=contract.contract_no,
        document_kind=document.kind,
        document_title=document.title,
        language=contract.language,
        client_name_masked=mask_name(
            terms["client_name"], institution=terms["client_kind"] == "institution"
        ),
        client_id_masked=terms["client_id_masked"],
        issued_at=contract.issued_at,
        signed_at=signature.signed_at if signature else None,
        status=contract.status,
        status_label=str(contract.get_status_display()),
    )
