"""Reads: balances (running totals, never summed at read time), ledger browsing, queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from core.money import DEFAULT_CURRENCY, ZERO, quantize_money
from custody.enums import (
    AmlCaseStatus,
    BreakStatus,
    ChartCode,
    DepositStatus,
    FinancingRequestStatus,
    NormalSide,
    WithdrawalStatus,
)
from custody.models import (
    AmlCase,
    Deposit,
    FinancingRequest,
    LedgerAccount,
    LedgerBalance,
    MarginAccount,
    Posting,
    ReconciliationBreak,
    Withdrawal,
)


def margin_account_for_client(client_id: int) -> MarginAccount | None:
    return MarginAccount.objects.select_related("client").filter(client_id=client_id).first()


def natural_balances(
    margin_account: MarginAccount, currency: str = DEFAULT_CURRENCY
) -> dict[str, Decimal]:
    """Every ledger balance of one margin account by chart code, as people read them; one query."""
    rows = LedgerBalance.objects.filter(
        ledger_account__margin_account=margin_account, ledger_account__currency=currency
    ).values_list("ledger_account__account_type_id", "balance", "normal_side")
    return {
        code: (balance if side == NormalSide.DEBIT else -balance) for code, balance, side in rows
    }


def cash_balance(margin_account: MarginAccount, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """The client's available cash (held withdrawals already excluded)."""
    return natural_balances(margin_account, currency).get(ChartCode.CLIENT_CASH, ZERO)


def firm_balance(code: str, currency: str = DEFAULT_CURRENCY) -> Decimal:
    row = LedgerBalance.objects.filter(
        ledger_account__margin_account__isnull=True,
        ledger_account__account_type_id=code,
        ledger_account__currency=currency,
    ).first()
    return row.natural_balance if row is not None else ZERO


def ledger_total(currency: str = DEFAULT_CURRENCY) -> Decimal:
    """The sum of every running balance in a currency: zero, always."""
    total = LedgerBalance.objects.filter(ledger_account__currency=currency).aggregate(
        total=Sum("balance")
    )["total"]
    return quantize_money(total) if total is not None else ZERO


@dataclass(frozen=True)
class BalanceAsOf:
    ledger_account: LedgerAccount
    balance: Decimal  # debit-positive
    natural: Decimal


def balances_as_of(on: date, *, margin_account: MarginAccount | None = None) -> list[BalanceAsOf]:
    """Balances at the end of ``on`` from the postings (for browsing history in the console)."""
    postings = Posting.objects.filter(entry__business_date__lte=on)
    accounts = LedgerAccount.objects.select_related("account_type", "margin_account")
    if margin_account is not None:
        postings = postings.filter(ledger_account__margin_account=margin_account)
        accounts = accounts.filter(margin_account=margin_account)
    sums = dict(
        postings.values("ledger_account_id")
        .annotate(total=Sum("amount"))
        .values_list("ledger_account_id", "total")
    )
    result = []
    for account in accounts.filter(pk__in=sums.keys()).order_by("margin_account_id", "pk"):
        total = quantize_money(sums[account.pk])
        result.append(BalanceAsOf(account, total, total * account.account_type.sign))
    return result


def held_deposits() -> QuerySet[Deposit]:
    return Deposit.objects.filter(status=DepositStatus.HELD)


def withdrawals_in(*statuses: str) -> QuerySet[Withdrawal]:
    return Withdrawal.objects.filter(status__in=statuses)


def withdrawals_to_check() -> QuerySet[Withdrawal]:
    return withdrawals_in(WithdrawalStatus.REQUESTED)


def withdrawals_to_approve() -> QuerySet[Withdrawal]:
    return withdrawals_in(WithdrawalStatus.CHECKED)


def withdrawals_to_send() -> QuerySet[Withdrawal]:
    return withdrawals_in(WithdrawalStatus.APPROVED)


def open_breaks() -> QuerySet[ReconciliationBreak]:
    return ReconciliationBreak.objects.filter(status=BreakStatus.OPEN)


def open_aml_cases() -> QuerySet[AmlCase]:
    return AmlCase.objects.filter(status__in=[AmlCaseStatus.OPEN, AmlCaseStatus.INVESTIGATING])


def financing_requests_waiting() -> QuerySet[FinancingRequest]:
    return FinancingRequest.objects.filter(status=FinancingRequestStatus.PENDING)
