"""Build :class:`~contracts.terms.ContractTerms` for a credit line: the one place that knows where
every contract variable comes from.

Sources (all as in force on the day the contract is generated):

* the credit line (``credit.models.CreditLine``): client, limit, currency, validity (the
  contract's term), and the packages it allows;
* the leverage package (``credit.rules.package_terms``) and the exchange margin rules
  (``credit.rules.regulatory_rules``) — mapped in :func:`_package_values`;
* the minimum commission per trade (``ashare-trading`` / ``commission_min``, the rule
  ``markets.fees.trade_costs`` charges by);
* the client's identity from the KYC record in ``accounts`` — the resident ID or the unified
  social credit code, **masked**, and the address — and their own bank account (masked) for
  the custody agreement. Nothing here ever decrypts an identifier;
* the firm, custodian bank, dispute venue and governing law (``contracts-firm``).

Mapping of the package's terms (``PackageTerms`` field → contract variable):

=============================  ===========================================================
``max_financing_ratio``        ``financing_margin_ratio`` = max(1 ÷ max_financing_ratio,
                               ``margin-regulatory`` financing_margin_ratio_min): the package
                               caps financed ÷ own margin, the contract states own margin ÷
                               financed, and regulation is a floor (e.g. 0.80 → 125%;
                               1.25 under a 100% minimum → 100%)
``warning_line``               ``warning_line``
``liquidation_line``           ``liquidation_line``
``topup_target``               ``top_up_target``
(regulation)                   ``withdrawal_line`` ← ``withdrawal_min_ratio``
``annual_interest_rate``       ``interest_rate``;  ``day_count`` → ``day_count``
``overdue_penalty_daily_rate`` ``penalty_rate_daily``
``cure_period_trading_days``   ``cure_period_trading_days``
``liquidation_order``          ``liquidation_order`` — the steps in :data:`LIQUIDATION_STEPS_FOR`
``commission_rate``            fee ``commission`` on the traded value, at least
                               ``commission_min`` per trade
=============================  ===========================================================

Packages have no other fees, so the contract lists none.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from accounts.enums import ClientKind
from accounts.models import BankAccount, Client
from contracts.rules import firm_particulars
from contracts.terms import ContractTerms, FeeTerm
from core import params
from core.exceptions import InvalidInput
from core.money import quantize_rate
from core.redaction import mask_identifier
from credit.enums import LiquidationOrder
from credit.keys import TRADING_SET, package_set_key
from credit.models import CreditLine, LeveragePackage
from credit.rules import PackageTerms, RegulatoryRules, package_terms, regulatory_rules

ONE = Decimal("1")

# The package's liquidation order (a credit code) as the contract's ordered steps (wording in
# ``contracts.vocabulary.LIQUIDATION_STEPS``). Every order first sells what counts for nothing
# as collateral, then follows the package's priority; the last step says what breaks ties.
LIQUIDATION_STEPS_FOR: dict[str, tuple[str, ...]] = {
    LiquidationOrder.LOSERS_FIRST: (
        "ineligible_collateral",
        "highest_loss",
        "largest_concentration",
    ),
    LiquidationOrder.LARGEST_FIRST: (
        "ineligible_collateral",
        "largest_concentration",
        "highest_loss",
    ),
    LiquidationOrder.MOST_LIQUID_FIRST: (
        "ineligible_collateral",
        "most_liquid",
        "highest_loss",
    ),
}


def liquidation_steps(order: str) -> tuple[str, ...]:
    try:
        return LIQUIDATION_STEPS_FOR[order]
    except KeyError:
        raise InvalidInput(
            f"liquidation_order: the package's order {order!r} has no contract wording; known "
            f"orders: {', '.join(LIQUIDATION_STEPS_FOR)}",
            field="liquidation_order",
        ) from None


def financing_margin_ratio(max_financing_ratio: Decimal, regulatory_minimum: Decimal) -> Decimal:
    """Own margin ÷ financed that the contract requires: the package's cap, inverted, and never
    below the regulatory minimum."""
    if max_financing_ratio <= 0:
        raise InvalidInput(
            f"the package allows no financing (max_financing_ratio {max_financing_ratio}); a "
            "margin-financing contract cannot be generated for it",
            field="max_financing_ratio",
        )
    return max(quantize_rate(ONE / max_financing_ratio), regulatory_minimum)


def client_identity(client: Client) -> dict[str, str]:
    """The contract's identity fields from the KYC record: masked number and address."""
    if client.kind == ClientKind.INSTITUTION:
        institution = getattr(client, "institution", None)
        if institution is not None:
            return {
                "client_name": institution.name,
                "client_id_type": "uscc",
                "client_id_masked": mask_identifier(institution.uscc),
                "client_address": institution.registered_address,
            }
    else:
        person = getattr(client, "person", None)
        if person is not None:
            return {
                "client_name": person.name,
                "client_id_type": "resident_id",
                "client_id_masked": person.id_number_masked,
                "client_address": person.address,
            }
    raise InvalidInput(
        f"client {client.client_no} has no identity details on file (KYC); a contract names the "
        "client by their identity document",
        field="client",
    )


def custody_account(client: Client) -> str | None:
    """The client's own active bank account, masked, once it is known."""
    account = (
        BankAccount.objects.filter(client=client, active=True).order_by("pk").only("number_masked")
    ).first()
    return account.number_masked if account is not None else None


def _package_values(
    package: LeveragePackage, terms: PackageTerms, rules: RegulatoryRules, on: date
) -> dict[str, Any]:
    commission_min = Decimal(params.value(TRADING_SET, "commission_min", on=on))
    return {
        "package_key": package_set_key(package.code),
        # The catalogue holds one display name (e.g. "均衡 Balanced"); both languages show it.
        "package_name_zh": package.name,
        "package_name_en": package.name,
        "package_risk_level": terms.risk_level,
        "package_effective_from": terms.effective_from,
        "financing_margin_ratio": financing_margin_ratio(
            terms.max_financing_ratio, rules.financing_margin_ratio_min
        ),
        "warning_line": terms.warning_line,
        "liquidation_line": terms.liquidation_line,
        "top_up_target": terms.topup_target,
        "withdrawal_line": rules.withdrawal_min_ratio,
        "interest_rate": terms.annual_interest_rate,
        "day_count": terms.day_count,
        "penalty_rate_daily": terms.overdue_penalty_daily_rate,
        "cure_period_trading_days": terms.cure_period_trading_days,
        "liquidation_order": liquidation_steps(terms.liquidation_order),
        "fees": (
            FeeTerm(
                code="commission",
                basis="trade_value",
                rate=terms.commission_rate,
                amount=commission_min,
            ),
        ),
    }


def build_contract_terms(
    *, credit_line: CreditLine, package: LeveragePackage, on: date
) -> ContractTerms:
    """The contract terms for ``credit_line`` under ``package``, as in force on ``on``."""
    allowed = sorted(p.code for p in credit_line.packages.all())
    if package.code not in allowed:
        raise InvalidInput(
            f"package {package.code!r} is not allowed on credit line #{credit_line.pk} "
            f"(allowed: {', '.join(allowed) or 'none'})",
            field="package",
        )
    client = credit_line.client
    values: dict[str, Any] = {
        **client_identity(client),
        **_package_values(package, package_terms(package, on), regulatory_rules(on), on),
        **firm_particulars(on),
    }
    return ContractTerms(
        client_no=client.client_no,
        client_kind=client.kind,
        credit_line_ref=f"CL-{credit_line.pk}",
        credit_limit=credit_line.limit,
        currency=credit_line.currency,
        term_start=credit_line.valid_from,
        term_end=credit_line.valid_to,
        custody_account_masked=custody_account(client),
        **values,
    )
