"""The dated parameters custody reads (rules as data; never literals in code).

* ``custody-funding`` and ``aml-thresholds`` are seeded by custody's own migration.
* ``margin-regulatory``/``withdrawal_min_ratio`` (300% in DOMAIN.md, stored as the fraction 3)
  belongs to the credit stage, which seeds it; custody only reads it, and only when an account
  has debt (with no debt the ratio is infinite and the parameter is not needed).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from core import params

FUNDING = "custody-funding"
AML = "aml-thresholds"
MARGIN_REGULATORY = "margin-regulatory"


def second_approval_above(on: date) -> Decimal:
    result: Decimal = params.value(FUNDING, "withdrawal_second_approval_above", on)
    return result


def withdrawal_min_ratio(on: date) -> Decimal:
    result: Decimal = params.value(MARGIN_REGULATORY, "withdrawal_min_ratio", on)
    return result


def aml_snapshot(on: date) -> params.ParameterSnapshot:
    return params.snapshot(AML, on)


def aml_value(name: str, on: date) -> Any:
    return params.value(AML, name, on)


TRADING = "custody-trading"


def financing_second_approval_above(on: date) -> Decimal:
    result: Decimal = params.value(TRADING, "financing_second_approval_above", on)
    return result


def simulator_participation(on: date) -> Decimal:
    result: Decimal = params.value(TRADING, "simulator_participation", on)
    return result


def concentration_below_ratio(on: date) -> Decimal:
    result: Decimal = params.value(TRADING, "concentration_below_ratio", on)
    return result
