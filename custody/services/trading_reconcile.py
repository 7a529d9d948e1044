"""Fills and positions against the ledger: every share and every yuan of trading accounted for.

Checks (each a set-based query; a difference is reported, never corrected):

1. per position: quantity = Σ bought − Σ sold (fills);
2. per position: cost basis − realised P&L = Σ fill net amounts (buys: value + costs; sells:
   − net proceeds) — the position's money story equals its fills';
3. per account: Σ postings to the client's own ledger accounts in trade entries = Σ fill net
   amounts (what trading took from cash and credit is what the fills say);
4. per account: financed principal posted by trade entries = Σ financed by buys − principal
   repaid from sales;
5. firm-wide: commission income, stamp duty payable, transfer fee payable and clearing
   settlement posted by trade entries = the fills' commission, stamp duty, transfer fee and
   Σ buys − Σ sells (owed to the clearing house).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from core.money import ZERO, quantize_money
from custody.enums import ChartCode, EntryKind, FinancingSource
from custody.models import Fill, FinancingMovement, Position, Posting
from markets.enums import Side

C = ChartCode
DEC = Value(Decimal(0))


@dataclass(frozen=True)
class TradingDifference:
    check: str
    subject: str
    expected: Decimal  # from the fills
    found: Decimal  # from the positions or the ledger

    def __str__(self) -> str:
        return f"{self.check} {self.subject}: fills say {self.expected}, found {self.found}"


def _signed_quantity() -> Case:
    return Case(When(side=Side.BUY, then=F("quantity")), default=-F("quantity"))


def _position_checks() -> list[TradingDifference]:
    fills = {
        (row["margin_account_id"], row["instrument_id"]): row
        for row in Fill.objects.values("margin_account_id", "instrument_id").annotate(
            shares=Sum(_signed_quantity()), money=Sum("net_amount")
        )
    }
    found = []
    for position in Position.objects.select_related("margin_account", "instrument").order_by("pk"):
        row = fills.pop((position.margin_account_id, position.instrument_id), None)
        # SQLite sums decimals as floats: round back to whole shares and cents.
        shares = _shares(row["shares"]) if row else Decimal(0)
        money = quantize_money(row["money"]) if row else ZERO
        subject = f"{position.margin_account.account_no} {position.instrument.code}"
        if position.quantity != shares:
            found.append(TradingDifference("position quantity", subject, shares, position.quantity))
        story = position.total_cost - position.realised_pnl
        if story != money:
            found.append(TradingDifference("position cost − realised", subject, money, story))
    for (account_id, instrument_id), row in fills.items():
        found.append(
            TradingDifference(
                "position missing",
                f"account {account_id} instrument {instrument_id}",
                _shares(row["shares"]),
                Decimal(0),
            )
        )
    return found


def _trade_postings() -> QuerySet[Posting]:
    return Posting.objects.filter(entry__kind=EntryKind.TRADE)


def _sum_by(queryset: QuerySet[Any], key: str, field: str) -> dict[Any, Decimal]:
    rows = queryset.values(key).annotate(t=Sum(field)).values_list(key, "t")
    return {k: quantize_money(v) for k, v in rows}


def _shares(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal(1))


def _account_checks() -> list[TradingDifference]:
    fills = _sum_by(Fill.objects.all(), "margin_account_id", "net_amount")
    financed: dict[Any, Decimal] = defaultdict(Decimal)
    for account_id, amount in _sum_by(Fill.objects.all(), "margin_account_id", "financed").items():
        financed[account_id] += amount
    sales = FinancingMovement.objects.filter(source=FinancingSource.SALE)
    for account_id, amount in _sum_by(sales, "margin_account_id", "principal").items():
        financed[account_id] -= amount
    postings = _trade_postings().filter(ledger_account__margin_account__isnull=False)
    owner = "ledger_account__margin_account_id"
    ledger = _sum_by(postings, owner, "amount")
    principal = _sum_by(
        postings.filter(ledger_account__account_type_id=C.FINANCED_PRINCIPAL), owner, "amount"
    )
    found = []
    for account_id in sorted(set(fills) | set(ledger)):
        want, got = fills.get(account_id, ZERO), ledger.get(account_id, ZERO)
        if want != got:
            found.append(TradingDifference("client postings", f"account {account_id}", want, got))
    for account_id in sorted(set(financed) | set(principal)):
        want, got = financed.get(account_id, ZERO), principal.get(account_id, ZERO)
        if want != got:
            found.append(
                TradingDifference("financed principal", f"account {account_id}", want, got)
            )
    return found


def _firm_checks() -> list[TradingDifference]:
    totals = Fill.objects.aggregate(
        commission=Coalesce(Sum("commission"), DEC),
        stamp=Coalesce(Sum("stamp_duty"), DEC),
        transfer=Coalesce(Sum("transfer_fee"), DEC),
        clearing=Coalesce(
            Sum(Case(When(side=Side.BUY, then=F("value")), default=-F("value"))), DEC
        ),
    )
    firm = _trade_postings().filter(ledger_account__margin_account__isnull=True)
    posted = _sum_by(firm, "ledger_account__account_type_id", "amount")
    # Posted amounts are debit-positive: income and payables are credits (negative).
    pairs = [
        (C.COMMISSION_INCOME, totals["commission"]),
        (C.STAMP_DUTY_PAYABLE, totals["stamp"]),
        (C.TRANSFER_FEE_PAYABLE, totals["transfer"]),
        (C.CLEARING_SETTLEMENT, totals["clearing"]),
    ]
    found = []
    for code, raw in pairs:
        want, got = quantize_money(raw), -posted.get(code, ZERO)
        if got != want:
            found.append(TradingDifference("firm postings", str(code), want, got))
    return found


def trading_differences() -> list[TradingDifference]:
    """Every difference between fills, positions and trade postings (empty when reconciled)."""
    return _position_checks() + _account_checks() + _firm_checks()
