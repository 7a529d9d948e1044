"""Extra validation for parameter sets, contributed by the apps that own them.

A leverage package, for instance, must never be looser than the regulatory margin rules in force;
the credit app registers that check here, and core calls it before a version is proposed or
approved. Validators raise :class:`core.exceptions.InvalidInput` naming the rule broken.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

SetValidator = Callable[[str, dict[str, Any], date], None]

_validators: list[tuple[str, SetValidator]] = []


def register_validator(key_prefix: str, validator: SetValidator) -> None:
    """Run ``validator(set_key, typed_values, effective_from)`` for sets whose key starts so."""
    if (key_prefix, validator) not in _validators:
        _validators.append((key_prefix, validator))


def run_validators(set_key: str, typed_values: dict[str, Any], effective_from: date) -> None:
    for prefix, validator in _validators:
        if set_key.startswith(prefix):
            validator(set_key, typed_values, effective_from)
