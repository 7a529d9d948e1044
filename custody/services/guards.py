"""The checks every movement of money out of a margin account passes, with exact refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from accounts.enums import ClientStatus
from core.exceptions import IllegalTransition, InvalidInput
from core.money import ZERO, format_money, quantize_money, quantize_rate, to_decimal
from custody import rules
from custody.enums import MarginAccountStatus
from custody.models import MarginAccount
from custody.selectors import natural_balances
from custody.valuation import DEBT_CODES, account_valuation

# Client states in which no money may leave, and why (the risk engine moves a client in and out
# of the first two; compliance suspends).
_BLOCKED = {
    ClientStatus.MARGIN_CALL: "a margin call is open; withdrawals resume once it is cured",
    ClientStatus.LIQUIDATING: "the account is being liquidated",
    ClientStatus.SUSPENDED: "the client is suspended",
    ClientStatus.CLOSED: "the client relationship is closed",
}


def positive_amount(raw: Any, field: str = "amount") -> Decimal:
    try:
        amount = to_decimal(raw)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{field}: {exc}", field=field) from exc
    if amount <= 0:
        raise InvalidInput(f"{field}: the amount must be above zero, got {amount}", field=field)
    if amount != quantize_money(amount):
        raise InvalidInput(f"{field}: {amount} has more than two decimal places", field=field)
    return amount


def percent(ratio: Decimal) -> str:
    """300% for 3; enough places that a ratio just under a line never shows as the line."""
    return f"{quantize_rate(ratio * 100).normalize():f}%"


def ensure_funds_may_leave(margin_account: MarginAccount, *, what: str = "withdrawal") -> None:
    # Read fresh (one query): the risk engine may have moved the client a moment ago.
    status, client_status = MarginAccount.objects.values_list("status", "client__status").get(
        pk=margin_account.pk
    )
    if client_status in _BLOCKED:
        raise IllegalTransition(
            f"{what} refused for {margin_account.account_no}: {_BLOCKED[client_status]}"
        )
    if status != MarginAccountStatus.OPEN:
        raise IllegalTransition(
            f"{what} refused: margin account {margin_account.account_no} is "
            f"{MarginAccountStatus(status).label}"
        )


def ensure_cash_available(
    margin_account: MarginAccount, available: Decimal, amount: Decimal, *, what: str = "withdrawal"
) -> None:
    if amount > available:
        raise InvalidInput(
            f"{what} of {format_money(amount, margin_account.currency)} is above the available "
            f"cash of {format_money(available, margin_account.currency)}",
            field="amount",
        )


def ensure_ratio_allows(
    *, margin_account: MarginAccount, amount: Decimal, on: date, what: str = "withdrawal"
) -> None:
    """Refuse if taking ``amount`` out would leave the maintenance ratio under the threshold."""
    owed = natural_balances(margin_account, margin_account.currency)
    if sum((owed.get(code, ZERO) for code in DEBT_CODES), ZERO) <= 0:
        return  # nothing owed: the ratio is infinite, cash is the only limit
    valuation = account_valuation(margin_account=margin_account, on=on)
    minimum = rules.withdrawal_min_ratio(on)
    after = valuation.ratio_after_withdrawal(amount)
    if after is not None and after < minimum:
        allowed = valuation.withdrawable(minimum)
        raise InvalidInput(
            f"{what} of {format_money(amount, margin_account.currency)} would leave the "
            f"maintenance ratio at {percent(after)}, below the {percent(minimum)} required for "
            f"withdrawals (margin-regulatory/withdrawal_min_ratio); at most "
            f"{format_money(allowed, margin_account.currency)} can be withdrawn",
            field="amount",
        )
