"""Checks shared by the credit services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from accounts.models import Client
from accounts.suitability import check_client_for_product
from core.exceptions import InvalidInput, ParameterMissing, PermissionRefused
from core.money import FloatMoneyError, quantize_money
from credit.models import LeveragePackage
from credit.rules import package_terms

ZERO = Decimal("0")


def require_perm(actor: Any, perm: str, what: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionRefused(f"{actor} may not {what}")


def amount(raw: Any, *, field: str, positive: bool = True) -> Decimal:
    """Money from a form, API or caller: Decimal, int or text; never a float."""
    try:
        value = quantize_money(raw)
    except (FloatMoneyError, TypeError, ValueError, InvalidOperation) as exc:
        raise InvalidInput(f"{field}: {raw!r} is not an amount", field=field) from exc
    if positive and value <= ZERO:
        raise InvalidInput(f"{field} must be more than zero, got {value}", field=field)
    if not positive and value < ZERO:
        raise InvalidInput(f"{field} must not be negative, got {value}", field=field)
    return value


def resolve_packages(packages: Iterable[LeveragePackage | str]) -> list[LeveragePackage]:
    """Packages given as objects or codes; each must exist and be offered."""
    codes = sorted({p if isinstance(p, str) else p.code for p in packages})
    if not codes:
        raise InvalidInput("choose at least one leverage package", field="packages")
    found = {p.code: p for p in LeveragePackage.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidInput(f"unknown leverage package: {', '.join(unknown)}", field="packages")
    inactive = [c for c in codes if not found[c].active]
    if inactive:
        raise InvalidInput(
            f"leverage package no longer offered: {', '.join(inactive)}", field="packages"
        )
    return [found[c] for c in codes]


def check_suitability(client: Client, packages: Iterable[LeveragePackage], on: date) -> None:
    """Every package's risk level must suit the client (``accounts.suitability``)."""
    for package in packages:
        try:
            risk_level = package_terms(package, on).risk_level
        except ParameterMissing as exc:
            raise InvalidInput(
                f"package {package.code} has no approved terms in force on {on}",
                field="packages",
            ) from exc
        try:
            check_client_for_product(client=client, product_risk_level=risk_level, on=on)
        except InvalidInput as exc:
            raise InvalidInput(f"package {package.code}: {exc.message}", field="packages") from exc


def whole_number(raw: Any, *, field: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise InvalidInput(f"{field} must be a whole number of zero or more", field=field)
    return raw
