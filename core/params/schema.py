"""Typed values for parameter sets: decode what is stored, validate what is proposed.

Decimals are stored as strings in JSON so that no value ever passes through a float.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from core.enums import ValueType
from core.exceptions import InvalidInput


def _decode_decimal(key: str, raw: Any, spec: dict[str, Any]) -> Decimal:
    if isinstance(raw, float) or isinstance(raw, bool):
        raise InvalidInput(f"{key}: decimals must be given as text, not {raw!r}", field=key)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise InvalidInput(f"{key}: {raw!r} is not a number", field=key) from exc
    if not value.is_finite():
        raise InvalidInput(f"{key}: {raw!r} is not a finite number", field=key)
    if "min" in spec and value < Decimal(spec["min"]):
        raise InvalidInput(f"{key}: {value} is below the minimum {spec['min']}", field=key)
    if "max" in spec and value > Decimal(spec["max"]):
        raise InvalidInput(f"{key}: {value} is above the maximum {spec['max']}", field=key)
    return value


def _decode_integer(key: str, raw: Any, spec: dict[str, Any]) -> int:
    if isinstance(raw, bool):
        raise InvalidInput(f"{key}: {raw!r} is not a whole number", field=key)
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise InvalidInput(f"{key}: {raw!r} is not a whole number", field=key) from exc
    if "min" in spec and value < int(spec["min"]):
        raise InvalidInput(f"{key}: {value} is below the minimum {spec['min']}", field=key)
    if "max" in spec and value > int(spec["max"]):
        raise InvalidInput(f"{key}: {value} is above the maximum {spec['max']}", field=key)
    return value


def _decode_boolean(key: str, raw: Any, spec: dict[str, Any]) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no"}:
        return False
    raise InvalidInput(f"{key}: {raw!r} is not yes/no", field=key)


def _decode_string(key: str, raw: Any, spec: dict[str, Any]) -> str:
    if not isinstance(raw, str):
        raise InvalidInput(f"{key}: expected text, got {raw!r}", field=key)
    return raw


def _decode_choice(key: str, raw: Any, spec: dict[str, Any]) -> str:
    choices = spec.get("choices", [])
    if raw not in choices:
        raise InvalidInput(f"{key}: {raw!r} is not one of {', '.join(choices)}", field=key)
    return str(raw)


def _decode_json(key: str, raw: Any, spec: dict[str, Any]) -> Any:
    if not isinstance(raw, (dict, list)):
        raise InvalidInput(f"{key}: expected a table (JSON object or list)", field=key)
    return raw


_DECODERS = {
    ValueType.DECIMAL: _decode_decimal,
    ValueType.INTEGER: _decode_integer,
    ValueType.BOOLEAN: _decode_boolean,
    ValueType.STRING: _decode_string,
    ValueType.CHOICE: _decode_choice,
    ValueType.JSON: _decode_json,
}


def decode_value(key: str, raw: Any, spec: dict[str, Any]) -> Any:
    decoder = _DECODERS[ValueType(spec["type"])]
    return decoder(key, raw, spec)


def decode_values(schema: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Validate ``values`` against ``schema`` and return them typed; every key is required."""
    missing = sorted(set(schema) - set(values))
    if missing:
        raise InvalidInput(f"missing values for: {', '.join(missing)}", field=missing[0])
    unknown = sorted(set(values) - set(schema))
    if unknown:
        raise InvalidInput(f"unknown parameters: {', '.join(unknown)}", field=unknown[0])
    return {key: decode_value(key, values[key], spec) for key, spec in schema.items()}


def encode_value(raw: Any, spec: dict[str, Any]) -> Any:
    """The JSON form of a typed value (decimals as text)."""
    if spec["type"] == ValueType.DECIMAL:
        return str(raw)
    if spec["type"] == ValueType.INTEGER:
        return int(raw)
    return raw


def encode_values(schema: dict[str, Any], typed: dict[str, Any]) -> dict[str, Any]:
    return {key: encode_value(typed[key], spec) for key, spec in schema.items() if key in typed}
