"""Suitability matching: may this client be sold a product of this risk level?

CSRC Order 130: an ordinary investor graded Cn may be sold products up to Rn. A client who insists
on a higher-risk product may proceed only after a special written warning is recorded — never a
client in the lowest category (C1). Professional investors are not limited by the grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from accounts.enums import InvestorType, ProductRiskLevel, SuitabilityLevel
from accounts.models import SuitabilityAssessment, SuitabilityWarning
from core.exceptions import InvalidInput


class Fit(Enum):
    ALLOWED = "allowed"
    NEEDS_WARNING = "needs_warning"
    REFUSED = "refused"


def _rank(code: str) -> int:
    return int(code[1])


def product_fit(*, level: str, product_risk: str, professional: bool = False) -> Fit:
    """Pure rule: C-level against R-level."""
    if level not in SuitabilityLevel.values:
        raise InvalidInput(f"unknown suitability level {level!r}", field="suitability_level")
    if product_risk not in ProductRiskLevel.values:
        raise InvalidInput(f"unknown product risk level {product_risk!r}", field="risk_level")
    if professional or _rank(product_risk) <= _rank(level):
        return Fit.ALLOWED
    if level == SuitabilityLevel.C1:
        return Fit.REFUSED
    return Fit.NEEDS_WARNING


def _ensure_current(client: Any, on: date) -> None:
    """Refuse once the latest questionnaire has fallen due (clients assessed in Fulcrum)."""
    latest = (
        SuitabilityAssessment.objects.filter(client=client)
        .order_by("-assessed_on", "-id")
        .values_list("review_due", flat=True)
        .first()
    )
    if latest is not None and latest < on:
        raise InvalidInput(
            f"client {client}'s suitability assessment fell due for re-assessment on {latest}; "
            "the questionnaire must be answered again before any product is offered",
            field="suitability_level",
        )


@dataclass(frozen=True)
class FitDecision:
    fit: Fit
    warning: SuitabilityWarning | None
    reason: str


def check_client_for_product(*, client: Any, product_risk_level: str, on: date) -> FitDecision:
    """Decide for a real client on a date; raise ``InvalidInput`` when the sale is not allowed.

    Used by every stage that sells a product (a leverage package carries an R-level).
    """
    if not client.suitability_level:
        raise InvalidInput(
            f"client {client} has no suitability assessment; assess before offering products",
            field="suitability_level",
        )
    _ensure_current(client, on)
    fit = product_fit(
        level=client.suitability_level,
        product_risk=product_risk_level,
        professional=client.investor_type == InvestorType.PROFESSIONAL,
    )
    level, risk = client.suitability_level, product_risk_level
    if fit is Fit.ALLOWED:
        return FitDecision(fit, None, f"{level} may be sold up to R{level[1]}; {risk} fits")
    if fit is Fit.REFUSED:
        raise InvalidInput(
            f"client {client} is {level} (lowest category) and may not take an {risk} product, "
            "even on request",
            field="risk_level",
        )
    warning = (
        SuitabilityWarning.objects.filter(
            client=client,
            suitability_level=level,
            product_risk_level__gte=risk,
            acknowledged_on__lte=on,
            valid_until__gte=on,
        )
        .order_by("-acknowledged_on")
        .first()
    )
    if warning is None:
        raise InvalidInput(
            f"client {client} is {level} and the product is {risk}: a recorded special warning "
            "that the client insists on the higher risk is required first",
            field="risk_level",
        )
    return FitDecision(
        fit, warning, f"{level} below {risk}: special warning of {warning.acknowledged_on}"
    )
