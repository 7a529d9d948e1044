"""Build :class:`~contracts.terms.ContractTerms` from a credit line and the parameters in force.

This is the one place that knows where every contract variable comes from. It is written
against the credit stage's model and parameter names as agreed, and wired to
``credit.models.CreditLine`` once credit lands (this module imports nothing from credit: a
credit line is anything with the attributes of :class:`CreditLineLike`, so it also works with
the model as soon as it exists). If credit names something differently, only the mappings
below change.

Sources:

* the credit line — ``client`` (an ``accounts.Client``), ``limit``, ``valid_from``/``valid_to``,
  ``allowed_packages`` (package set keys, or related objects with a ``key``), and optionally
  ``reference`` and ``currency``;
* the leverage package — parameter set ``package-conservative|balanced|aggressive`` in force on
  the day, names in :data:`PACKAGE_FIELDS`;
* the regulatory floor — parameter set ``margin-regulatory`` (:data:`REGULATORY_FIELDS`): the
  contract's financing margin ratio is the stricter of package and regulation;
* the firm, custodian bank, dispute venue and governing law — ``contracts-firm``;
* the client's identity document and address — passed in (:class:`ClientIdentity`), read by
  the caller from the KYC record, already masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from accounts.models import Client
from contracts.rules import firm_particulars
from contracts.terms import ContractTerms, FeeTerm
from core import params
from core.exceptions import InvalidInput
from core.models import ParameterSet

REGULATORY_SET = "margin-regulatory"

# ContractTerms field ← package parameter name.
PACKAGE_FIELDS: dict[str, str] = {
    "package_risk_level": "risk_level",
    "financing_margin_ratio": "financing_margin_ratio",
    "warning_line": "warning_line",
    "liquidation_line": "liquidation_line",
    "top_up_target": "top_up_target",
    "interest_rate": "interest_rate",
    "day_count": "day_count",
    "penalty_rate_daily": "penalty_rate_daily",
    "cure_period_trading_days": "cure_period_trading_days",
    "liquidation_order": "liquidation_order",
    "fees": "fees",
}
# Optional package parameters for the package's display name; the set's name is the fallback.
PACKAGE_NAME_FIELDS = {"package_name_zh": "name_zh", "package_name_en": "name_en"}

# Regulatory floor ← ``margin-regulatory`` parameter name.
REGULATORY_FIELDS: dict[str, str] = {
    "financing_margin_ratio": "min_financing_margin_ratio",
    "withdrawal_line": "withdrawal_line",
}


class CreditLineLike(Protocol):
    pk: Any
    client: Client
    limit: Decimal
    valid_from: date
    valid_to: date
    allowed_packages: Any


@dataclass(frozen=True)
class ClientIdentity:
    """What the contract shows of the client's identity (masked by the caller)."""

    id_type: str
    id_masked: str
    address: str


def allowed_package_keys(credit_line: CreditLineLike) -> list[str]:
    packages = credit_line.allowed_packages
    if hasattr(packages, "all"):
        return [str(getattr(p, "key", p)) for p in packages.all()]
    return [str(getattr(p, "key", p)) for p in packages or []]


def _fees(raw: Any) -> tuple[FeeTerm, ...]:
    """Fees as a list of ``{"code", "basis", "rate", "amount"}`` or a ``{code: {...}}`` table."""
    items = [{"code": code, **spec} for code, spec in raw.items()] if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidInput("the package's fees must be a table of fees", field="fees")
    return tuple(
        FeeTerm(
            code=str(item["code"]),
            basis=str(item["basis"]),
            rate=None if item.get("rate") in (None, "") else Decimal(str(item["rate"])),
            amount=None if item.get("amount") in (None, "") else Decimal(str(item["amount"])),
        )
        for item in items
    )


def _package_terms(package_key: str, on: date) -> dict[str, Any]:
    package = params.snapshot(package_key, on)
    values: dict[str, Any] = {name: package[source] for name, source in PACKAGE_FIELDS.items()}
    values["liquidation_order"] = tuple(values["liquidation_order"])
    values["fees"] = _fees(values["fees"])
    values["cure_period_trading_days"] = int(values["cure_period_trading_days"])
    fallback = ParameterSet.objects.get(key=package_key).name
    for name, source in PACKAGE_NAME_FIELDS.items():
        values[name] = str(package.values.get(source) or fallback)
    values["package_key"] = package_key
    values["package_effective_from"] = package.effective_from
    return values


def build_contract_terms(
    *,
    credit_line: CreditLineLike,
    package_key: str,
    identity: ClientIdentity,
    on: date,
    custody_account_masked: str | None = None,
    regulatory_set: str = REGULATORY_SET,
) -> ContractTerms:
    """The contract terms for ``credit_line`` under ``package_key``, as in force on ``on``."""
    allowed = allowed_package_keys(credit_line)
    if package_key not in allowed:
        raise InvalidInput(
            f"package {package_key!r} is not allowed on this credit line (allowed: "
            f"{', '.join(allowed) or 'none'})",
            field="package_key",
        )
    client = credit_line.client
    values = _package_terms(package_key, on)
    regulatory = params.snapshot(regulatory_set, on)
    floor = Decimal(regulatory[REGULATORY_FIELDS["financing_margin_ratio"]])
    values["financing_margin_ratio"] = max(Decimal(values["financing_margin_ratio"]), floor)
    values["withdrawal_line"] = Decimal(regulatory[REGULATORY_FIELDS["withdrawal_line"]])
    values.update(firm_particulars(on))
    return ContractTerms(
        client_no=client.client_no,
        client_name=client.display_name,
        client_kind=client.kind,
        client_id_type=identity.id_type,
        client_id_masked=identity.id_masked,
        client_address=identity.address,
        credit_line_ref=str(getattr(credit_line, "reference", "") or f"CL-{credit_line.pk}"),
        credit_limit=Decimal(credit_line.limit),
        currency=str(getattr(credit_line, "currency", "") or "CNY"),
        term_start=credit_line.valid_from,
        term_end=credit_line.valid_to,
        custody_account_masked=custody_account_masked,
        **values,
    )
