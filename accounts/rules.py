"""The onboarding rules as dated parameters, read typed, and the checks on proposed changes.

Parameter sets (seeded by ``accounts/migrations/0005_onboarding_rules.py``):

* ``kyc-rules`` — minimum age, upload size and file types, documents required per client kind;
* ``suitability-rules`` — re-assessment interval, special-warning validity, CSRC professional
  investor thresholds (Order 130 Art. 8 and the conversion route of Art. 11);
* ``client-tiers`` — tier thresholds on assets, experience and suitability level;
* ``sanctions-screening`` — the match threshold and the weight of dates of birth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from accounts.enums import ClientKind, DocumentType, SuitabilityLevel
from core import params
from core.exceptions import InvalidInput

KYC = "kyc-rules"
SUITABILITY = "suitability-rules"
TIERS = "client-tiers"
SCREENING = "sanctions-screening"

FILE_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def kyc(on: date) -> params.ParameterSnapshot:
    return params.snapshot(KYC, on)


def suitability(on: date) -> params.ParameterSnapshot:
    return params.snapshot(SUITABILITY, on)


def screening(on: date) -> params.ParameterSnapshot:
    return params.snapshot(SCREENING, on)


@dataclass(frozen=True)
class TierRule:
    code: str
    kinds: tuple[str, ...]
    assets_min: Decimal
    experience_years_min: int
    level_min: str


def tier_rules(on: date) -> tuple[int, list[TierRule]]:
    """The tier table in force (best tier first) and the version it came from."""
    snap = params.snapshot(TIERS, on)
    return snap.version_id, [_tier_rule(raw) for raw in snap["tiers"]]


def _tier_rule(raw: dict[str, Any]) -> TierRule:
    return TierRule(
        code=str(raw["code"]),
        kinds=tuple(raw.get("kinds", ClientKind.values)),
        assets_min=Decimal(str(raw.get("assets_min", "0"))),
        experience_years_min=int(raw.get("experience_years_min", 0)),
        level_min=str(raw.get("level_min", SuitabilityLevel.C1)),
    )


def _check_tiers(set_key: str, values: dict[str, Any], effective_from: date) -> None:
    rows = values["tiers"]
    if not isinstance(rows, list) or not rows:
        raise InvalidInput("tiers: give a list of tiers, best first", field="tiers")
    for position, raw in enumerate(rows, start=1):
        if not isinstance(raw, dict) or not raw.get("code"):
            raise InvalidInput(f"tiers: entry {position} needs a code", field="tiers")
        try:
            rule = _tier_rule(raw)
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise InvalidInput(f"tiers: entry {position} has a bad number", field="tiers") from exc
        if rule.level_min not in SuitabilityLevel.values:
            raise InvalidInput(
                f"tiers: entry {position} level_min must be one of C1–C5", field="tiers"
            )
        if any(kind not in ClientKind.values for kind in rule.kinds):
            raise InvalidInput(
                f"tiers: entry {position} kinds must be person and/or institution", field="tiers"
            )
    for kind in ClientKind.values:
        catch_all = [
            r
            for r in map(_tier_rule, rows)
            if kind in r.kinds
            and r.assets_min == 0
            and r.experience_years_min == 0
            and r.level_min == SuitabilityLevel.C1
        ]
        if not catch_all:
            raise InvalidInput(
                f"tiers: no tier catches every {kind} client (one needs no minimums)",
                field="tiers",
            )


def _check_kyc(set_key: str, values: dict[str, Any], effective_from: date) -> None:
    unknown = [t for t in values["allowed_file_types"] if t not in FILE_TYPES]
    if unknown:
        raise InvalidInput(
            f"allowed_file_types: {', '.join(map(str, unknown))} unknown; choose from "
            f"{', '.join(FILE_TYPES)}",
            field="allowed_file_types",
        )
    for key in ("required_documents_person", "required_documents_institution"):
        bad = [t for t in values[key] if t not in DocumentType.values]
        if bad:
            raise InvalidInput(f"{key}: unknown document types {bad}", field=key)


def _check_screening(set_key: str, values: dict[str, Any], effective_from: date) -> None:
    if not Decimal("0.5") <= values["name_threshold"] <= Decimal("1"):
        raise InvalidInput(
            "name_threshold: must be between 0.50 and 1.00; lower would flag most names",
            field="name_threshold",
        )


def register() -> None:
    params.register_validator(TIERS, _check_tiers)
    params.register_validator(KYC, _check_kyc)
    params.register_validator(SCREENING, _check_screening)
