"""A transparent points scorecard, as data (parameter set ``credit-scorecard``).

Each factor turns one input into points: numeric inputs through ordered bins (``below`` is an
exclusive upper bound; the last bin is open-ended), categorical inputs through a table (``*``
catches any other value). Entries may carry a reason code, reported when the entry is hit, so a
client can be told why the grade is what it is. The total picks a grade from the cut-offs, and the
limit is ``min(assets × asset_multiple[grade] × tier_multiplier[tier], grade_cap[grade])``,
rounded down to ``limit_round_down_to``; below ``minimum_line`` there is no credit.

:func:`score` is pure: the same values and inputs always give the same result, which is how a
stored evaluation is reproduced.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from core.exceptions import InvalidInput
from core.money import quantize_money, to_decimal

NUMERIC_INPUTS = {
    "financial_assets",
    "annual_income",
    "investing_experience_years",
    "past_margin_calls",
}
CATEGORY_INPUTS = {"suitability_level", "risk_rating", "tier"}
OTHER = "*"
NO_CREDIT = "LIMIT_BELOW_MINIMUM"


@dataclass(frozen=True)
class ScorecardInputs:
    financial_assets: Decimal
    annual_income: Decimal
    investing_experience_years: int
    suitability_level: str
    risk_rating: str
    tier: str
    past_margin_calls: int

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["financial_assets"] = str(self.financial_assets)
        data["annual_income"] = str(self.annual_income)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScorecardInputs:
        return cls(
            financial_assets=to_decimal(data["financial_assets"]),
            annual_income=to_decimal(data["annual_income"]),
            investing_experience_years=int(data["investing_experience_years"]),
            suitability_level=str(data["suitability_level"]),
            risk_rating=str(data["risk_rating"]),
            tier=str(data["tier"]),
            past_margin_calls=int(data["past_margin_calls"]),
        )


@dataclass(frozen=True)
class ScoreResult:
    points: dict[str, int]
    score: int
    grade: str
    reason_codes: tuple[str, ...]
    limit: Decimal


def digest(values: Mapping[str, Any]) -> str:
    """A fingerprint of a scorecard's stored values (kept with every evaluation)."""
    body = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _bin_points(factor: Mapping[str, Any], value: Decimal) -> tuple[int, str]:
    for entry in factor["bins"]:
        if "below" not in entry or value < to_decimal(entry["below"]):
            return int(entry["points"]), str(entry.get("reason", ""))
    raise InvalidInput(f"scorecard factor {factor['code']} has no bin for {value}", field="factors")


def _category_points(factor: Mapping[str, Any], value: str) -> tuple[int, str]:
    table = factor["categories"]
    entry = table.get(value, table.get(OTHER))
    if entry is None:
        raise InvalidInput(
            f"scorecard factor {factor['code']} has no points for {value!r}", field="factors"
        )
    return int(entry["points"]), str(entry.get("reason", ""))


def _grade(grades: list[Mapping[str, Any]], total: int) -> str:
    for entry in grades:
        if total >= int(entry["min_score"]):
            return str(entry["grade"])
    raise InvalidInput(f"no grade covers the score {total}", field="grades")


def _limit(values: Mapping[str, Any], inputs: ScorecardInputs, grade: str) -> Decimal:
    tiers = values["tier_multiplier"]
    tier_multiple = to_decimal(tiers.get(inputs.tier, tiers[OTHER]))
    raw = inputs.financial_assets * to_decimal(values["asset_multiple"][grade]) * tier_multiple
    capped = min(raw, to_decimal(values["grade_cap"][grade]))
    step = to_decimal(values["limit_round_down_to"])
    rounded = (capped / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return quantize_money(max(rounded, Decimal(0)))


def score(values: Mapping[str, Any], inputs: ScorecardInputs) -> ScoreResult:
    """Score ``inputs`` with one scorecard version's typed ``values``."""
    data = asdict(inputs)
    points: dict[str, int] = {}
    reasons: list[str] = []
    for factor in values["factors"]:
        raw = data[factor["input"]]
        if factor["input"] in NUMERIC_INPUTS:
            got, reason = _bin_points(factor, to_decimal(raw))
        else:
            got, reason = _category_points(factor, str(raw))
        points[factor["code"]] = got
        if reason:
            reasons.append(reason)
    total = sum(points.values())
    grade = _grade(values["grades"], total)
    limit = _limit(values, inputs, grade)
    if limit <= 0 or limit < to_decimal(values["minimum_line"]):
        limit = quantize_money(0)
        reasons.append(NO_CREDIT)
    return ScoreResult(points, total, grade, tuple(reasons), limit)


# --- validation of a proposed scorecard -------------------------------------------------------


def _refuse(message: str, field: str = "factors") -> InvalidInput:
    return InvalidInput(message, field=field)


def _decimal_text(raw: Any, where: str, field: str) -> Decimal:
    if not isinstance(raw, str):
        raise _refuse(f'{where} must be written as text, e.g. "0.5", not {raw!r}', field)
    try:
        value = to_decimal(raw)
    except (ValueError, InvalidOperation) as exc:
        raise _refuse(f"{where}: {raw!r} is not a number", field) from exc
    if value < 0:
        raise _refuse(f"{where} must not be negative", field)
    return value


def _points(entry: Any, where: str) -> int:
    if not isinstance(entry, dict) or isinstance(entry.get("points"), bool):
        raise _refuse(f"{where} needs whole-number points")
    if not isinstance(entry.get("points"), int):
        raise _refuse(f"{where} needs whole-number points")
    if not isinstance(entry.get("reason", ""), str):
        raise _refuse(f"{where}: a reason code must be text")
    return int(entry["points"])


def _check_bins(code: str, bins: Any) -> int:
    if not isinstance(bins, list) or not bins:
        raise _refuse(f"factor {code}: a numeric input needs a list of bins")
    previous: Decimal | None = None
    for i, entry in enumerate(bins):
        _points(entry, f"factor {code} bin {i + 1}")
        last = i == len(bins) - 1
        if last != ("below" not in entry):
            raise _refuse(f"factor {code}: every bin but the last needs 'below'; the last none")
        if not last:
            bound = _decimal_text(entry["below"], f"factor {code} bin {i + 1} below", "factors")
            if previous is not None and bound <= previous:
                raise _refuse(f"factor {code}: bins must rise ('below' {bound} after {previous})")
            previous = bound
    return min(int(e["points"]) for e in bins)


def _check_categories(code: str, table: Any) -> int:
    if not isinstance(table, dict) or not table:
        raise _refuse(f"factor {code}: a categorical input needs a table of categories")
    return min(_points(entry, f"factor {code} category {key}") for key, entry in table.items())


def _check_factors(factors: Any) -> int:
    if not isinstance(factors, list) or not factors:
        raise _refuse("factors must be a non-empty list")
    codes: set[str] = set()
    lowest = 0
    for factor in factors:
        if not isinstance(factor, dict):
            raise _refuse(f"each factor must be a table, not {factor!r}")
        code, source = factor.get("code"), factor.get("input")
        if not code or code in codes:
            raise _refuse(f"every factor needs a unique code (got {code!r})")
        codes.add(code)
        if source in NUMERIC_INPUTS:
            lowest += _check_bins(code, factor.get("bins"))
        elif source in CATEGORY_INPUTS:
            lowest += _check_categories(code, factor.get("categories"))
        else:
            known = ", ".join(sorted(NUMERIC_INPUTS | CATEGORY_INPUTS))
            raise _refuse(f"factor {code}: unknown input {source!r}; use one of {known}")
    return lowest


def _check_grades(grades: Any, lowest_score: int) -> list[str]:
    if not isinstance(grades, list) or not grades:
        raise _refuse("grades must be a non-empty list, best grade first", "grades")
    names: list[str] = []
    previous: int | None = None
    for entry in grades:
        if not isinstance(entry, dict):
            raise _refuse(f"each grade must be a table, not {entry!r}", "grades")
        name, cut = entry.get("grade"), entry.get("min_score")
        if not isinstance(name, str) or not name or not isinstance(cut, int) or name in names:
            raise _refuse("each grade needs a unique name and a whole-number min_score", "grades")
        if previous is not None and cut >= previous:
            raise _refuse("grade cut-offs must fall from the best grade to the worst", "grades")
        names.append(name)
        previous = cut
    if previous is not None and previous > lowest_score:
        raise _refuse(
            f"the lowest grade must cover every score; the lowest possible is {lowest_score}",
            "grades",
        )
    return names


def _check_table(values: Mapping[str, Any], key: str, keys: list[str]) -> None:
    table = values[key]
    if not isinstance(table, dict) or any(k not in table for k in keys):
        raise _refuse(f"{key} needs an entry for each of {', '.join(keys)}", key)
    for name, raw in table.items():
        _decimal_text(raw, f"{key} {name}", key)


def validate_scorecard(values: Mapping[str, Any]) -> None:
    """Refuse a malformed scorecard, naming the field and the entry."""
    lowest = _check_factors(values["factors"])
    grades = _check_grades(values["grades"], lowest)
    _check_table(values, "asset_multiple", grades)
    _check_table(values, "grade_cap", grades)
    _check_table(values, "tier_multiplier", [OTHER])
