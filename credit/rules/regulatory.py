"""The exchange margin rules in force on a date (parameter set ``margin-regulatory``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core import params
from core.money import quantize_rate, to_decimal
from credit.enums import CollateralCategory
from credit.keys import REGULATORY_SET

ONE = Decimal("1")


@dataclass(frozen=True)
class RegulatoryRules:
    version_id: int
    effective_from: date
    financing_margin_ratio_min: Decimal
    haircut_caps: dict[str, Decimal]
    zero_pe_above: Decimal
    contract_term_max_months: int
    rollover_term_max_months: int
    withdrawal_min_ratio: Decimal
    closing_line_min: Decimal

    @property
    def max_financing_ratio(self) -> Decimal:
        """Financed ÷ own margin allowed by the minimum financing margin ratio."""
        return quantize_rate(ONE / self.financing_margin_ratio_min)

    @classmethod
    def from_values(
        cls, values: Mapping[str, Any], *, version_id: int = 0, effective_from: date | None = None
    ) -> RegulatoryRules:
        return cls(
            version_id=version_id,
            effective_from=effective_from or date.min,
            financing_margin_ratio_min=to_decimal(values["financing_margin_ratio_min"]),
            haircut_caps={
                c: to_decimal(values[f"haircut_cap_{c}"]) for c in CollateralCategory.values
            },
            zero_pe_above=to_decimal(values["haircut_zero_pe_above"]),
            contract_term_max_months=int(values["contract_term_max_months"]),
            rollover_term_max_months=int(values["rollover_term_max_months"]),
            withdrawal_min_ratio=to_decimal(values["withdrawal_min_ratio"]),
            closing_line_min=to_decimal(values["closing_line_min"]),
        )


def regulatory_snapshot(on: date) -> params.ParameterSnapshot:
    return params.snapshot(REGULATORY_SET, on)


def regulatory_rules(on: date) -> RegulatoryRules:
    snap = regulatory_snapshot(on)
    return RegulatoryRules.from_values(
        snap, version_id=snap.version_id, effective_from=snap.effective_from
    )
