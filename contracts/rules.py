"""The contract parameters in force (dated, maker-checker approved; see migration 0002)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core import params

SIGNING_SET = "contracts-signing"
FIRM_SET = "contracts-firm"


@dataclass(frozen=True)
class SigningRules:
    code_ttl_minutes: int
    code_max_attempts: int
    code_resend_seconds: int
    signing_window_days: int
    expiring_soon_days: int
    max_term_months: int


def signing_rules(on: date) -> SigningRules:
    values = params.snapshot(SIGNING_SET, on)
    return SigningRules(**{name: int(values[name]) for name in SigningRules.__dataclass_fields__})


def firm_particulars(on: date) -> dict[str, str]:
    """The firm's identity, custodian bank, dispute venue and governing law, as terms fields."""
    return {name: str(value) for name, value in params.snapshot(FIRM_SET, on).items()}
