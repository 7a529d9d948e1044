"""Leverage package terms in force, and the usable leverage after regulation and regime."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from core import params
from core.money import quantize_rate, to_decimal
from credit.keys import REGIME_SET, package_set_key
from credit.rules.regulatory import regulatory_rules

if TYPE_CHECKING:
    from credit.models import LeveragePackage


@dataclass(frozen=True)
class PackageTerms:
    """The typed terms of one package version (what risk, custody and settlement read)."""

    code: str
    version_id: int
    effective_from: date
    risk_level: str
    max_financing_ratio: Decimal
    warning_line: Decimal
    liquidation_line: Decimal
    topup_target: Decimal
    annual_interest_rate: Decimal
    day_count: str
    commission_rate: Decimal
    overdue_penalty_daily_rate: Decimal
    concentration_single_stock: Decimal
    concentration_single_board: Decimal
    eligible_boards: tuple[str, ...]
    eligible_kinds: tuple[str, ...]
    haircuts: dict[str, Decimal]
    cure_period_trading_days: int
    liquidation_order: str

    @classmethod
    def from_snapshot(cls, code: str, snap: params.ParameterSnapshot) -> PackageTerms:
        v: Mapping[str, Any] = snap
        return cls(
            code=code,
            version_id=snap.version_id,
            effective_from=snap.effective_from,
            risk_level=v["risk_level"],
            max_financing_ratio=v["max_financing_ratio"],
            warning_line=v["warning_line"],
            liquidation_line=v["liquidation_line"],
            topup_target=v["topup_target"],
            annual_interest_rate=v["annual_interest_rate"],
            day_count=v["day_count"],
            commission_rate=v["commission_rate"],
            overdue_penalty_daily_rate=v["overdue_penalty_daily_rate"],
            concentration_single_stock=v["concentration_single_stock"],
            concentration_single_board=v["concentration_single_board"],
            eligible_boards=tuple(v["eligible_boards"]),
            eligible_kinds=tuple(v["eligible_kinds"]),
            haircuts={k: to_decimal(x) for k, x in v["haircuts"].items()},
            cure_period_trading_days=v["cure_period_trading_days"],
            liquidation_order=v["liquidation_order"],
        )


def _code(package: LeveragePackage | str) -> str:
    return package if isinstance(package, str) else package.code


def package_snapshot(package: LeveragePackage | str, on: date) -> params.ParameterSnapshot:
    """The package's parameter values in force on ``on`` (input to ``haircut_for``)."""
    return params.snapshot(package_set_key(_code(package)), on)


def package_terms(package: LeveragePackage | str, on: date) -> PackageTerms:
    code = _code(package)
    return PackageTerms.from_snapshot(code, package_snapshot(code, on))


def regime_multiplier(on: date) -> Decimal:
    """The leverage multiplier (≤ 1) of the market regime in force on ``on``."""
    snap = params.snapshot(REGIME_SET, on)
    multiplier: Decimal = snap[f"multiplier_{snap['regime']}"]
    return multiplier


def usable_leverage(*, package: Decimal, regulation: Decimal, multiplier: Decimal) -> Decimal:
    """min(package, regulation, package × multiplier): a multiplier ≤ 1 can only tighten."""
    return min(package, regulation, quantize_rate(package * multiplier))


def effective_max_financing_ratio(package: LeveragePackage | str, on: date) -> Decimal:
    """Usable leverage on ``on``: min(package, regulation, package × regime multiplier).

    The regime can only tighten: its multiplier is at most 1, and the result is never above the
    package's own maximum nor what the financing margin ratio in force allows.
    """
    return usable_leverage(
        package=package_terms(package, on).max_financing_ratio,
        regulation=regulatory_rules(on).max_financing_ratio,
        multiplier=regime_multiplier(on),
    )
