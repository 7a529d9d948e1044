"""Write: the contract bundle for an approved credit line, generated and issued in one step.

The line must be waiting for its contract (credit's *pending contract*), still within its
validity, and without a live contract; the package must be one the line allows. The terms come
from :mod:`contracts.terms_builder` as in force on the day; the contract names the line as its
subject, so the client's signature activates it (:mod:`contracts.credit_line_subject`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from contracts import lock_objects
from contracts.credit_line_subject import CREDIT_LINE
from contracts.enums import LIVE_CONTRACT_STATUSES
from contracts.models import Contract
from contracts.services.generation import contract_bundle_generate, contract_issue
from contracts.terms_builder import build_contract_terms
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.idempotency import run_once
from credit.enums import CreditLineStatus
from credit.lock_objects import line_for_update
from credit.models import CreditLine, LeveragePackage

SCOPE = "contracts.credit_line"


def live_contract_for_line(line_id: int) -> Contract | None:
    return (
        Contract.objects.filter(
            subject_kind=CREDIT_LINE, subject_ref=str(line_id), status__in=LIVE_CONTRACT_STATUSES
        )
        .order_by("-version", "-pk")
        .first()
    )


def _ensure_waiting(line: CreditLine, today: date) -> None:
    what = f"credit line #{line.pk} ({line.client.client_no})"
    if line.status in (CreditLineStatus.EXPIRED, CreditLineStatus.CLOSED) or today > line.valid_to:
        state = "closed" if line.status == CreditLineStatus.CLOSED else "expired"
        raise IllegalTransition(
            f"{what} is {state} (valid {line.valid_from} – {line.valid_to}); a contract can only "
            "be generated for a line waiting for one — the client needs a new credit application"
        )
    if line.status != CreditLineStatus.PENDING_CONTRACT:
        raise IllegalTransition(
            f"{what} is {line.get_status_display().lower()}, not waiting for a contract; to "
            "change its terms, issue a new version of its contract"
        )
    live = live_contract_for_line(line.pk)
    if live is not None:
        raise InvalidInput(
            f"{what} already has contract {live.contract_no} ({live.get_status_display()}); "
            "wait for the client to sign it or for the offer to expire",
            field="credit_line",
        )


def _package(code: str) -> LeveragePackage:
    package = LeveragePackage.objects.filter(code=code).first()
    if package is None:
        raise InvalidInput(f"unknown leverage package {code!r}", field="package")
    return package


def _generate(
    *, line_id: int, package_code: str, by: Any, language: str | None, now: datetime
) -> Contract:
    if by is None or not by.has_perm("contracts.issue_contract"):
        raise PermissionRefused(f"{by} may not generate contracts")
    today = timezone.localtime(now).date()
    client_id = CreditLine.objects.values_list("client_id", flat=True).get(pk=line_id)
    # Client first, then the line (contracts and credit lock in that order).
    lock_objects.client_for_update(client_id)
    line = line_for_update(line_id)
    _ensure_waiting(line, today)
    terms = build_contract_terms(credit_line=line, package=_package(package_code), on=today)
    contract = contract_bundle_generate(
        client=line.client,
        terms=terms,
        by=by,
        language=language,
        subject_kind=CREDIT_LINE,
        subject_ref=str(line.pk),
        now=now,
    )
    return contract_issue(contract=contract, by=by, now=now)


def contract_for_credit_line(
    *,
    credit_line: CreditLine,
    package: LeveragePackage | str,
    by: Any,
    idempotency_key: str,
    language: str | None = None,
    now: datetime | None = None,
) -> Contract:
    """Generate the bundle for ``credit_line`` under ``package`` and issue it to the client.

    A retry with the same key returns the same contract; a refusal changes nothing.
    """
    code = package if isinstance(package, str) else package.code
    moment = now or timezone.now()
    payload = {"credit_line": credit_line.pk, "package": code, "language": language}
    with transaction.atomic():
        result, _replayed = run_once(
            scope=SCOPE,
            key=idempotency_key,
            payload=payload,
            actor=by,
            action=lambda: {
                "contract": _generate(
                    line_id=credit_line.pk,
                    package_code=code,
                    by=by,
                    language=language,
                    now=moment,
                ).pk
            },
        )
    return Contract.objects.get(pk=result["contract"])
