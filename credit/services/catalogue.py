"""The package catalogue and the firm's credit rules, installed through maker-checker."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import transaction

from core import audit, params
from core.enums import AuditAction, ParameterStatus
from core.exceptions import InvalidInput
from core.models import ParameterSet, ParameterVersion
from core.params.services import (
    parameter_change_approve,
    parameter_change_propose,
    parameter_set_define,
)
from credit import defaults
from credit.enums import Regime
from credit.keys import POLICY_SET, REGIME_SET, SCORECARD_SET, package_set_key
from credit.models import LeveragePackage
from credit.schemas import PACKAGE_SCHEMA

_CODE = re.compile(r"^[a-z][a-z0-9-]{1,38}$")


@transaction.atomic
def leverage_package_define(
    *, code: str, name: str, description: str = "", display_order: int = 100
) -> LeveragePackage:
    """Add a package to the catalogue (or update its name); its terms are then proposed as a
    version of parameter set ``package-<code>`` and approved by a second person."""
    if not _CODE.match(code):
        raise InvalidInput(
            "code: 2–39 lower-case letters, digits or hyphens, starting with a letter",
            field="code",
        )
    if not name.strip():
        raise InvalidInput("name: a package needs a name", field="name")
    parameter_set = parameter_set_define(
        key=package_set_key(code),
        name=f"Leverage package: {name.strip()}",
        schema=PACKAGE_SCHEMA,
        category="credit",
        description=description.strip()
        or "Terms of one leverage package; never looser than margin-regulatory.",
    )
    package, _ = LeveragePackage.objects.update_or_create(
        code=code,
        defaults={
            "name": name.strip(),
            "description": description.strip(),
            "parameter_set": parameter_set,
            "display_order": display_order,
        },
    )
    return package


@transaction.atomic
def leverage_package_set_active(
    *, package: LeveragePackage, active: bool, by: Any, reason: str
) -> LeveragePackage:
    """Offer a package to new applications again, or withdraw it (existing lines keep it)."""
    if not reason.strip():
        raise InvalidInput("a reason is required to offer or withdraw a package", field="reason")
    locked = LeveragePackage.objects.select_for_update().get(pk=package.pk)
    if locked.active != active:
        locked.active = active
        locked.save(update_fields=["active"])
        audit.record(
            action=AuditAction.APPROVAL,
            actor=by,
            obj=locked,
            details={"active": active, "reason": reason.strip()},
        )
    return locked


def _has_version_by(set_key: str, on: date) -> bool:
    return ParameterVersion.objects.filter(
        parameter_set__key=set_key, status=ParameterStatus.APPROVED, effective_from__lte=on
    ).exists()


def _propose_and_approve(
    *, set_key: str, values: dict[str, Any], maker: Any, checker: Any, on: date, reason: str
) -> bool:
    if _has_version_by(set_key, on):
        return False
    version = parameter_change_propose(
        parameter_set=ParameterSet.objects.get(key=set_key),
        effective_from=on,
        values=values,
        maker=maker,
        reason=reason,
    )
    parameter_change_approve(version=version, checker=checker, note=reason)
    return True


@transaction.atomic
def credit_defaults_install(
    *, maker: Any, checker: Any, effective_from: date, reason: str
) -> list[str]:
    """Propose (``maker``) and approve (``checker``) the starting rules in ``credit.defaults``
    for every set that has nothing in force yet; returns the set keys installed."""
    installed: list[str] = []
    for order, spec in enumerate(defaults.PACKAGES):
        leverage_package_define(
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            display_order=(order + 1) * 10,
        )
    sets = [
        (POLICY_SET, defaults.POLICY),
        (SCORECARD_SET, defaults.SCORECARD),
        (REGIME_SET, defaults.REGIME),
        *[(package_set_key(p["code"]), p["values"]) for p in defaults.PACKAGES],
    ]
    for set_key, values in sets:
        done = _propose_and_approve(
            set_key=set_key,
            values=values,
            maker=maker,
            checker=checker,
            on=effective_from,
            reason=reason,
        )
        if done:
            installed.append(set_key)
    return installed


def market_regime_propose(
    *, regime: str, effective_from: date, maker: Any, reason: str
) -> ParameterVersion:
    """Propose a regime change (e.g. from the liquidity forecast), keeping the multipliers in
    force; it takes effect only once a second person approves it."""
    if regime not in Regime.values:
        raise InvalidInput(
            f"regime: {regime!r} is not one of {', '.join(Regime.values)}", field="regime"
        )
    current = dict(params.version_in_force(REGIME_SET, effective_from).values)
    return parameter_change_propose(
        parameter_set=ParameterSet.objects.get(key=REGIME_SET),
        effective_from=effective_from,
        values={**current, "regime": regime},
        maker=maker,
        reason=reason,
    )
