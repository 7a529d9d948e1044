"""What a margin account may borrow under: the live credit line, its package, the terms in force.

Which package governs an account (a line may allow several):

1. the package named in the client's signed (or in-force) contract for the line, when there is
   one — the contract is what the client agreed to;
2. otherwise the line's only package;
3. otherwise, of the line's packages, the one with the lowest usable leverage (effective maximum
   financing ratio) on the day — the conservative reading until a contract says which.

Also here: the ledger reader credit's capacity uses as the amount drawn
(:func:`financed_principal_used`, registered from ``CustodyConfig.ready``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Client
from contracts.enums import ContractStatus
from contracts.models import Contract
from core.exceptions import ParameterMissing
from core.money import DEFAULT_CURRENCY, ZERO
from credit.enums import CreditLineStatus
from credit.keys import PACKAGE_PREFIX
from credit.models import CreditLine, LeveragePackage
from credit.rules import PackageTerms, effective_max_financing_ratio, package_terms
from credit.selectors import live_credit_line
from custody.enums import ChartCode, NormalSide
from custody.models import LedgerBalance, MarginAccount

SUBJECT_CREDIT_LINE = "credit_line"


@dataclass(frozen=True)
class CreditContext:
    """The credit side of one client on one day."""

    line: CreditLine | None
    usable: bool  # an active line in date: drawing is possible
    reason: str  # why not usable ("no credit line", "credit line is Suspended", …)
    package: LeveragePackage | None
    terms: PackageTerms | None
    max_financing_ratio: Decimal  # effective (package, regulation, regime); 0 without a package


def _contract_package_code(line: CreditLine) -> str | None:
    contract = (
        Contract.objects.filter(
            subject_kind=SUBJECT_CREDIT_LINE,
            subject_ref=str(line.pk),
            status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE],
        )
        .order_by("-version")
        .values_list("terms", flat=True)
        .first()
    )
    if not contract or not contract.get("package_key"):
        return None
    key = str(contract["package_key"])
    return key.removeprefix(PACKAGE_PREFIX)


def line_usability(line: CreditLine | None, on: date) -> tuple[bool, str]:
    """Whether money may be drawn on ``line`` on ``on``, and if not, why (as credit says it)."""
    if line is None:
        return False, "the client has no credit line"
    if line.status != CreditLineStatus.ACTIVE:
        return False, f"credit line #{line.pk} is {line.get_status_display().lower()}"
    if on < line.valid_from:
        return False, f"credit line #{line.pk} starts on {line.valid_from}"
    if on > line.valid_to:
        return False, f"credit line #{line.pk} expired on {line.valid_to}"
    return True, "credit line active"


def account_package(line: CreditLine, on: date) -> LeveragePackage | None:
    packages = list(line.packages.all())
    if not packages:
        return None
    named = _contract_package_code(line)
    chosen = [p for p in packages if p.code == named]
    if chosen:
        return chosen[0]
    if len(packages) == 1:
        return packages[0]
    return min(packages, key=lambda p: (effective_max_financing_ratio(p, on), p.code))


def credit_context(client: Client, on: date) -> CreditContext:
    line = live_credit_line(client=client)
    usable, reason = line_usability(line, on)
    try:
        package = account_package(line, on) if line is not None else None
        if package is None:
            return CreditContext(line, usable, reason, None, None, ZERO)
        return CreditContext(
            line,
            usable,
            reason,
            package,
            package_terms(package, on),
            effective_max_financing_ratio(package, on),
        )
    except ParameterMissing as missing:
        # A date before the firm's package terms were in force (a replay of old history): no
        # financing and no package limits that day.
        return CreditContext(
            line, False, f"no package terms in force on {on} ({missing})", None, None, ZERO
        )


def financed_principal_of(margin_account_id: int, currency: str = DEFAULT_CURRENCY) -> Decimal:
    row = (
        LedgerBalance.objects.filter(
            ledger_account__margin_account_id=margin_account_id,
            ledger_account__account_type_id=ChartCode.FINANCED_PRINCIPAL,
            ledger_account__currency=currency,
        )
        .values_list("balance", "normal_side")
        .first()
    )
    if row is None:
        return ZERO
    balance, side = row
    return balance if side == NormalSide.DEBIT else -balance


def financed_principal_used(*, client: Client, at: datetime) -> Decimal:
    """credit's used-amount provider: the client's financed principal outstanding now.

    Running balances are current figures; ``at`` is accepted for the protocol (credit asks
    "now"), a past moment would need ``balances_as_of``.
    """
    account_id = MarginAccount.objects.filter(client=client).values_list("pk", flat=True).first()
    if account_id is None:
        return ZERO
    return financed_principal_of(account_id)


def today() -> date:
    return timezone.localdate()
