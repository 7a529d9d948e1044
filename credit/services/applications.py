"""Credit applications: submit, review (scorecard), expire."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import ClientStatus
from accounts.models import Client
from core import params
from core.exceptions import InvalidInput
from core.fsm import apply_transition
from core.idempotency import run_once
from credit.enums import LIVE_LINE_STATUSES, OPEN_APPLICATION_STATUSES, ExpiryBasis
from credit.keys import POLICY_SET, SCORECARD_SET
from credit.lock_objects import application_for_update, client_for_update
from credit.models import CreditApplication, CreditEvaluation, LeveragePackage
from credit.scorecard import ScorecardInputs, digest, score
from credit.services.common import (
    amount,
    check_suitability,
    require_perm,
    resolve_packages,
    whole_number,
)
from credit.services.decisions import credit_application_approve, credit_application_reject
from markets import calendar

__all__ = [
    "credit_application_approve",
    "credit_application_reject",
    "credit_application_review",
    "credit_application_submit",
    "credit_applications_expire",
]


@dataclass(frozen=True)
class _Request:
    requested_amount: Decimal
    financial_assets: Decimal
    annual_income: Decimal
    investing_experience_years: int
    past_margin_calls: int
    received_on: date


def _clean_request(
    *,
    requested_amount: Any,
    financial_assets: Any,
    annual_income: Any,
    investing_experience_years: Any,
    past_margin_calls: Any,
    received_on: date | None,
) -> _Request:
    today = timezone.localdate()
    received = received_on or today
    if received > today:
        raise InvalidInput(
            f"received_on {received} is in the future; use the day the application arrived",
            field="received_on",
        )
    return _Request(
        requested_amount=amount(requested_amount, field="requested_amount"),
        financial_assets=amount(financial_assets, field="financial_assets", positive=False),
        annual_income=amount(annual_income, field="annual_income", positive=False),
        investing_experience_years=whole_number(
            investing_experience_years, field="investing_experience_years"
        ),
        past_margin_calls=whole_number(past_margin_calls, field="past_margin_calls"),
        received_on=received,
    )


def _ensure_may_apply(client: Client) -> None:
    if client.status != ClientStatus.ELIGIBLE:
        raise InvalidInput(
            f"client {client} is {client.get_status_display()}; only an eligible client (KYC, "
            "suitability and screening cleared) may apply for credit",
            field="client",
        )
    open_application = client.credit_applications.filter(
        status__in=OPEN_APPLICATION_STATUSES
    ).first()
    if open_application is not None:
        raise InvalidInput(
            f"client {client} already has an open credit application "
            f"#{open_application.pk} ({open_application.get_status_display()}); it must be "
            "decided or expire before another is submitted",
            field="client",
        )
    line = client.credit_lines.filter(status__in=LIVE_LINE_STATUSES).first()
    if line is not None:
        raise InvalidInput(
            f"client {client} already has credit line #{line.pk} "
            f"({line.get_status_display()}); renew that line instead of applying again",
            field="client",
        )


def _submit(
    *,
    client: Client,
    request: _Request,
    packages: list[LeveragePackage],
    requested_by: Any,
    purpose: str,
) -> CreditApplication:
    locked = client_for_update(client.pk)
    _ensure_may_apply(locked)
    check_suitability(locked, packages, timezone.localdate())
    try:
        with transaction.atomic():
            application = CreditApplication.objects.create(
                client=locked,
                requested_amount=request.requested_amount,
                financial_assets=request.financial_assets,
                annual_income=request.annual_income,
                investing_experience_years=request.investing_experience_years,
                past_margin_calls=request.past_margin_calls,
                received_on=request.received_on,
                requested_by=requested_by,
                purpose=purpose.strip(),
            )
    except IntegrityError as exc:
        # A concurrent submission won the race; the partial unique index refused this one.
        raise InvalidInput(
            f"client {locked} already has an open credit application; it must be decided or "
            "expire before another is submitted",
            field="client",
        ) from exc
    application.packages.set(packages)
    return application


@transaction.atomic
def credit_application_submit(
    *,
    client: Client,
    requested_amount: Any,
    packages: Iterable[LeveragePackage | str],
    requested_by: Any,
    financial_assets: Any,
    annual_income: Any,
    investing_experience_years: int,
    past_margin_calls: int = 0,
    received_on: date | None = None,
    purpose: str = "",
    idempotency_key: str | None = None,
) -> CreditApplication:
    """Record an eligible client's request for a credit line on one or more packages.

    Refused (nothing saved) when the amount is not positive, the client is not eligible, has an
    open application or a live line, or a package's risk level does not suit the client.
    """
    request = _clean_request(
        requested_amount=requested_amount,
        financial_assets=financial_assets,
        annual_income=annual_income,
        investing_experience_years=investing_experience_years,
        past_margin_calls=past_margin_calls,
        received_on=received_on,
    )
    chosen = resolve_packages(packages)
    if idempotency_key is None:
        return _submit(
            client=client,
            request=request,
            packages=chosen,
            requested_by=requested_by,
            purpose=purpose,
        )
    payload = {
        "client": client.pk,
        "requested_amount": str(request.requested_amount),
        "packages": [p.code for p in chosen],
        "financial_assets": str(request.financial_assets),
        "annual_income": str(request.annual_income),
        "investing_experience_years": request.investing_experience_years,
        "past_margin_calls": request.past_margin_calls,
        "received_on": request.received_on.isoformat(),
    }
    result, _ = run_once(
        scope="credit.application.submit",
        key=idempotency_key,
        payload=payload,
        actor=requested_by,
        action=lambda: {
            "application": _submit(
                client=client,
                request=request,
                packages=chosen,
                requested_by=requested_by,
                purpose=purpose,
            ).pk
        },
    )
    return CreditApplication.objects.get(pk=result["application"])


def scorecard_inputs(application: CreditApplication, client: Client) -> ScorecardInputs:
    """What the scorecard reads: the declared figures and the client's current profile."""
    return ScorecardInputs(
        financial_assets=application.financial_assets,
        annual_income=application.annual_income,
        investing_experience_years=application.investing_experience_years,
        suitability_level=client.suitability_level,
        risk_rating=client.risk_rating,
        tier=client.tier,
        past_margin_calls=application.past_margin_calls,
    )


def _evaluate(application: CreditApplication, client: Client, by: Any) -> CreditEvaluation:
    today = timezone.localdate()
    version = params.version_in_force(SCORECARD_SET, today)
    inputs = scorecard_inputs(application, client)
    result = score(version.typed_values(), inputs)
    return CreditEvaluation.objects.create(
        application=application,
        client=client,
        scorecard_version=version,
        scorecard_digest=digest(version.values),
        evaluated_on=today,
        inputs=inputs.to_json(),
        points=result.points,
        score=result.score,
        grade=result.grade,
        reason_codes=list(result.reason_codes),
        computed_limit=result.limit,
        evaluated_by=by if getattr(by, "is_authenticated", False) else None,
    )


@transaction.atomic
def credit_application_review(*, application: CreditApplication, by: Any) -> CreditEvaluation:
    """Run the scorecard in force today and put the application under review."""
    require_perm(by, "credit.review_creditapplication", "review credit applications")
    client = client_for_update(application.client_id)
    locked = application_for_update(application.pk)
    evaluation = _evaluate(locked, client, by)
    apply_transition(
        locked,
        "start_review",
        by=by,
        reason=f"scorecard grade {evaluation.grade}, score {evaluation.score}, "
        f"limit {evaluation.computed_limit}",
    )
    locked.save()
    return evaluation


def application_deadline(received_on: date, policy: Any) -> date:
    """The last day an application received on ``received_on`` may still be decided."""
    days = int(policy["application_expiry_days"])
    if policy["application_expiry_basis"] == ExpiryBasis.TRADING:
        return calendar.add_trading_days(received_on, days)
    return received_on + timedelta(days=days)


@transaction.atomic
def _expire_one(pk: int, policy: Any) -> bool:
    locked = application_for_update(pk)
    if locked.status not in OPEN_APPLICATION_STATUSES:
        return False
    basis = policy["application_expiry_basis"]
    apply_transition(
        locked,
        "expire",
        by=None,
        reason=f"not decided within {policy['application_expiry_days']} {basis} days of "
        f"{locked.received_on}",
    )
    locked.save()
    return True


def credit_applications_expire(*, today: date | None = None) -> list[int]:
    """Expire open applications past their deadline; safe to run twice. Returns their ids."""
    today = today or timezone.localdate()
    policy = params.snapshot(POLICY_SET, today)
    stale = [
        pk
        for pk, received_on in CreditApplication.objects.filter(
            status__in=OPEN_APPLICATION_STATUSES
        )
        .order_by("pk")
        .values_list("pk", "received_on")
        if today > application_deadline(received_on, policy)
    ]
    return [pk for pk in stale if _expire_one(pk, policy)]
