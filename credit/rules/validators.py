"""Checks core runs before a credit parameter version is proposed or approved.

Registered in ``CreditConfig.ready`` with ``core.params.register_validator``. A package may
never be looser than ``margin-regulatory`` in force on its effective date; each refusal names
the value, the rule it breaks and where that rule lives.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core import params
from core.exceptions import InvalidInput, ParameterMissing
from core.money import to_decimal
from credit.enums import CollateralCategory, Regime
from credit.keys import REGULATORY_SET, TRADING_SET
from credit.rules.regulatory import RegulatoryRules
from credit.scorecard import validate_scorecard
from markets.enums import Board, InstrumentKind

ONE = Decimal("1")
ZERO = Decimal("0")


def _regulation(on: date, field: str) -> RegulatoryRules:
    try:
        snap = params.snapshot(REGULATORY_SET, on)
    except ParameterMissing as exc:
        raise InvalidInput(
            f"no {REGULATORY_SET} rules are in force on {on}; a package cannot start before them",
            field=field,
        ) from exc
    return RegulatoryRules.from_values(snap, version_id=snap.version_id)


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


def _check_financing(values: dict[str, Any], reg: RegulatoryRules, on: date) -> None:
    ratio: Decimal = values["max_financing_ratio"]
    if ratio <= ZERO:
        raise InvalidInput(
            "max_financing_ratio must be more than zero", field="max_financing_ratio"
        )
    if ratio * reg.financing_margin_ratio_min > ONE:
        raise InvalidInput(
            f"max_financing_ratio {ratio} is looser than regulation: the financing margin ratio "
            f"in force on {on} is at least {_pct(reg.financing_margin_ratio_min)} "
            f"({REGULATORY_SET} financing_margin_ratio_min), so financing may be at most "
            f"{reg.max_financing_ratio.normalize():f} × own margin",
            field="max_financing_ratio",
        )


def _check_lines(values: dict[str, Any], reg: RegulatoryRules, on: date) -> None:
    liquidation, warning, target = (
        values["liquidation_line"],
        values["warning_line"],
        values["topup_target"],
    )
    if liquidation < reg.closing_line_min:
        raise InvalidInput(
            f"liquidation_line {_pct(liquidation)} is below the lowest closing line in force on "
            f"{on}, {_pct(reg.closing_line_min)} ({REGULATORY_SET} closing_line_min)",
            field="liquidation_line",
        )
    if not warning > liquidation:
        raise InvalidInput(
            f"warning_line {_pct(warning)} must be above the liquidation line {_pct(liquidation)}",
            field="warning_line",
        )
    if not target > warning:
        raise InvalidInput(
            f"topup_target {_pct(target)} must be above the warning line {_pct(warning)}",
            field="topup_target",
        )


def _haircut_value(category: str, raw: Any) -> Decimal:
    if not isinstance(raw, str):
        raise InvalidInput(
            f'haircuts: {category} must be written as text, e.g. "0.65", not {raw!r}',
            field="haircuts",
        )
    try:
        value = to_decimal(raw)
    except (ValueError, InvalidOperation) as exc:
        raise InvalidInput(
            f"haircuts: {category} {raw!r} is not a number", field="haircuts"
        ) from exc
    if not ZERO <= value <= ONE:
        raise InvalidInput(
            f"haircuts: {category} {value} must be between 0 and 1", field="haircuts"
        )
    return value


def _check_haircuts(values: dict[str, Any], reg: RegulatoryRules, on: date) -> None:
    table = values["haircuts"]
    if not isinstance(table, dict):
        raise InvalidInput("haircuts must be a table of category → haircut", field="haircuts")
    expected = set(CollateralCategory.values)
    if set(table) != expected:
        missing, unknown = sorted(expected - set(table)), sorted(set(table) - expected)
        raise InvalidInput(
            f"haircuts must list exactly {', '.join(sorted(expected))}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else ""),
            field="haircuts",
        )
    for category in CollateralCategory.values:
        value = _haircut_value(category, table[category])
        cap = reg.haircut_caps[category]
        if value > cap:
            raise InvalidInput(
                f"haircuts: {category} {_pct(value)} is looser than the regulatory cap of "
                f"{_pct(cap)} in force on {on} ({REGULATORY_SET} haircut_cap_{category})",
                field="haircuts",
            )


def _check_list(values: dict[str, Any], key: str, allowed: list[str]) -> None:
    items = values[key]
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{key} must be a non-empty list", field=key)
    unknown = sorted({str(i) for i in items} - set(allowed))
    if unknown:
        raise InvalidInput(
            f"{key}: unknown {', '.join(unknown)}; choose from {', '.join(allowed)}", field=key
        )


def _check_concentration(values: dict[str, Any]) -> None:
    for key in ("concentration_single_stock", "concentration_single_board"):
        if values[key] <= ZERO:
            raise InvalidInput(f"{key} must be more than zero", field=key)


def _check_commission(values: dict[str, Any], on: date) -> None:
    try:
        ceiling: Decimal = params.value(TRADING_SET, "commission_max_rate", on)
    except ParameterMissing:
        return
    if values["commission_rate"] > ceiling:
        raise InvalidInput(
            f"commission_rate {values['commission_rate']} is above the commission cap "
            f"{ceiling} in force on {on} ({TRADING_SET} commission_max_rate)",
            field="commission_rate",
        )


def validate_package(set_key: str, values: dict[str, Any], effective_from: date) -> None:
    reg = _regulation(effective_from, field="max_financing_ratio")
    _check_financing(values, reg, effective_from)
    _check_lines(values, reg, effective_from)
    _check_haircuts(values, reg, effective_from)
    _check_list(values, "eligible_boards", list(Board.values))
    _check_list(values, "eligible_kinds", list(InstrumentKind.values))
    _check_concentration(values)
    _check_commission(values, effective_from)


def validate_regime(set_key: str, values: dict[str, Any], effective_from: date) -> None:
    """Multipliers are at most 1 (the schema) and tighten as the market worsens."""
    order = [f"multiplier_{r}" for r in Regime.values]
    for looser, tighter in zip(order, order[1:], strict=False):
        if values[tighter] > values[looser]:
            raise InvalidInput(
                f"{tighter} {values[tighter]} must not be above {looser} {values[looser]}: a "
                "worse market may only tighten leverage",
                field=tighter,
            )


def validate_policy(set_key: str, values: dict[str, Any], effective_from: date) -> None:
    reg = _regulation(effective_from, field="line_term_months")
    if values["line_term_months"] > reg.contract_term_max_months:
        raise InvalidInput(
            f"line_term_months {values['line_term_months']} is longer than the "
            f"{reg.contract_term_max_months} months allowed on {effective_from} "
            f"({REGULATORY_SET} contract_term_max_months)",
            field="line_term_months",
        )
    if values["line_renewal_months"] > reg.rollover_term_max_months:
        raise InvalidInput(
            f"line_renewal_months {values['line_renewal_months']} is longer than the "
            f"{reg.rollover_term_max_months} months one rollover may add on {effective_from} "
            f"({REGULATORY_SET} rollover_term_max_months)",
            field="line_renewal_months",
        )


def validate_scorecard_set(set_key: str, values: dict[str, Any], effective_from: date) -> None:
    validate_scorecard(values)
