"""Credit reads, scoped to the client asked about."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Client
from credit.enums import LIVE_LINE_STATUSES, OPEN_APPLICATION_STATUSES
from credit.models import CreditApplication, CreditEvaluation, CreditLine, LeveragePackage
from credit.scorecard import ScorecardInputs, ScoreResult, score


def live_credit_line(*, client: Client) -> CreditLine | None:
    """The client's pending, active or suspended line (at most one, held by the database)."""
    return (
        CreditLine.objects.filter(client=client, status__in=LIVE_LINE_STATUSES)
        .prefetch_related("packages")
        .first()
    )


def credit_lines_for(*, client: Client) -> QuerySet[CreditLine]:
    return CreditLine.objects.filter(client=client).order_by("-approved_at")


def open_application(*, client: Client) -> CreditApplication | None:
    return CreditApplication.objects.filter(
        client=client, status__in=OPEN_APPLICATION_STATUSES
    ).first()


def offered_packages() -> QuerySet[LeveragePackage]:
    return LeveragePackage.objects.filter(active=True).order_by("display_order", "code")


def evaluation_reproduce(evaluation: CreditEvaluation) -> ScoreResult:
    """Score the stored inputs again with the stored scorecard version (an audit check)."""
    values = evaluation.scorecard_version.typed_values()
    return score(values, ScorecardInputs.from_json(evaluation.inputs))
