"""Haircuts (折算率): what one unit of a security counts for as collateral on a date.

One function, :func:`haircut_for`, used by credit (capacity), custody (valuation) and risk
(maintenance ratio). It depends only on ``core`` and ``markets``.

Rules, in the order applied (the first that matches decides):

1. delisted on or before the date, ST / *ST, in a delisting arrangement, suspended that day → 0;
2. a stock whose static P/E is above the regulatory threshold, or zero or negative → 0
   (an unknown P/E does not trigger this rule: the exchange list is the source of truth);
3. a board or instrument kind the package does not accept → 0;
4. otherwise the package's haircut for the category, never above the regulatory cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from core.money import to_decimal
from credit.enums import CollateralCategory
from markets.enums import InstrumentKind
from markets.models import Instrument, Suspension

ZERO = Decimal("0")
ONE = Decimal("1")

_KIND_CATEGORY = {
    InstrumentKind.ETF: CollateralCategory.ETF,
    InstrumentKind.MONEY_FUND: CollateralCategory.MONEY_FUND_TREASURY,
    InstrumentKind.FUND: CollateralCategory.OTHER_FUND_BOND,
    # Instruments do not yet tell treasuries from other bonds: the lower (80%) cap applies.
    InstrumentKind.BOND: CollateralCategory.OTHER_FUND_BOND,
}


@dataclass(frozen=True)
class HaircutDecision:
    rate: Decimal
    reason: str


def collateral_category(instrument: Instrument) -> CollateralCategory:
    if instrument.kind == InstrumentKind.STOCK:
        if instrument.index_constituent:
            return CollateralCategory.INDEX_CONSTITUENT
        return CollateralCategory.OTHER_ASHARE
    return _KIND_CATEGORY[InstrumentKind(instrument.kind)]


def regulatory_cap(category: str, regulatory_snapshot: Mapping[str, Any]) -> Decimal:
    return to_decimal(regulatory_snapshot[f"haircut_cap_{category}"])


def _suspensions_on(on: date) -> Q:
    return Q(suspended_on__lte=on) & (Q(resumed_on__isnull=True) | Q(resumed_on__gt=on))


def is_suspended(instrument: Instrument, on: date) -> bool:
    return Suspension.objects.filter(_suspensions_on(on), instrument=instrument).exists()


def suspended_instrument_ids(instrument_ids: Iterable[int], on: date) -> set[int]:
    """Which of these instruments are halted on ``on`` (one query, for batch valuation)."""
    return set(
        Suspension.objects.filter(_suspensions_on(on), instrument_id__in=list(instrument_ids))
        .values_list("instrument_id", flat=True)
        .distinct()
    )


def _status_reason(instrument: Instrument, on: date, suspended: bool) -> str | None:
    if instrument.delisted_on is not None and instrument.delisted_on <= on:
        return f"delisted on {instrument.delisted_on}"
    if instrument.is_st:
        return "ST / *ST"
    if instrument.delisting_risk:
        return "in a delisting arrangement"
    if suspended:
        return f"suspended on {on}"
    return None


def _valuation_reason(instrument: Instrument, regulatory: Mapping[str, Any]) -> str | None:
    if instrument.kind != InstrumentKind.STOCK or instrument.pe_ttm is None:
        return None
    threshold = to_decimal(regulatory["haircut_zero_pe_above"])
    if instrument.pe_ttm <= ZERO:
        return f"static P/E {instrument.pe_ttm} is zero or negative"
    if instrument.pe_ttm > threshold:
        return f"static P/E {instrument.pe_ttm} is above {threshold}"
    return None


def _eligibility_reason(instrument: Instrument, package: Mapping[str, Any]) -> str | None:
    if instrument.board not in package["eligible_boards"]:
        return f"board {instrument.board} is not accepted by the package"
    if instrument.kind not in package["eligible_kinds"]:
        return f"{instrument.kind} is not accepted by the package"
    return None


def haircut_decision(
    instrument: Instrument,
    package_snapshot: Mapping[str, Any],
    regulatory_snapshot: Mapping[str, Any],
    on: date,
    *,
    suspended: bool | None = None,
) -> HaircutDecision:
    """The haircut and the rule that set it (for statements and the console)."""
    if suspended is None:
        suspended = is_suspended(instrument, on)
    zero_reason = (
        _status_reason(instrument, on, suspended)
        or _valuation_reason(instrument, regulatory_snapshot)
        or _eligibility_reason(instrument, package_snapshot)
    )
    if zero_reason is not None:
        return HaircutDecision(ZERO, zero_reason)
    category = collateral_category(instrument)
    cap = regulatory_cap(category, regulatory_snapshot)
    offered = to_decimal(package_snapshot["haircuts"].get(category, "0"))
    rate = max(ZERO, min(offered, cap, ONE))
    if offered > cap:
        return HaircutDecision(rate, f"{category}: package {offered} capped at regulation {cap}")
    return HaircutDecision(rate, f"{category}: package haircut {rate}")


def haircut_for(
    instrument: Instrument,
    package_snapshot: Mapping[str, Any],
    regulatory_snapshot: Mapping[str, Any],
    on: date,
    *,
    suspended: bool | None = None,
) -> Decimal:
    """The fraction (0–1) of market value ``instrument`` counts for as collateral on ``on``.

    ``package_snapshot`` is ``core.params.snapshot("package-<code>", on)`` (or its values),
    ``regulatory_snapshot`` is ``core.params.snapshot("margin-regulatory", on)``. Pass
    ``suspended`` when valuing many instruments at once (see :func:`suspended_instrument_ids`);
    otherwise one query looks it up.
    """
    return haircut_decision(
        instrument, package_snapshot, regulatory_snapshot, on, suspended=suspended
    ).rate
