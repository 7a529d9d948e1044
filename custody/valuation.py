"""What a margin account is worth and owes: the maintenance ratio (DOMAIN.md, SSE Art. 42).

    maintenance ratio = (cash + securities at market value)
                        / (financed principal + accrued interest + fees)

Securities are marked at the latest daily close on or before the date (one query for any number
of accounts). With no debt the ratio is infinite (``None``). Cash held for a withdrawal in
progress is already gone from client cash and is not counted. A position without any bar on or
before the date is valued at zero — the conservative reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from core.money import CENT, DEFAULT_CURRENCY, ZERO, quantize_money
from custody.enums import ChartCode, NormalSide
from custody.models import LedgerBalance, MarginAccount, Position
from markets.models import DailyBar

# What the client owes: the denominator of the maintenance ratio.
DEBT_CODES = (
    ChartCode.FINANCED_PRINCIPAL,
    ChartCode.INTEREST_RECEIVABLE,
    ChartCode.FEES_RECEIVABLE,
)


@dataclass(frozen=True)
class Valuation:
    margin_account_id: int
    on: date
    cash: Decimal
    securities_value: Decimal
    financed_principal: Decimal
    accrued_interest: Decimal
    fees: Decimal

    @property
    def assets(self) -> Decimal:
        return self.cash + self.securities_value

    @property
    def liabilities(self) -> Decimal:
        return self.financed_principal + self.accrued_interest + self.fees

    @property
    def ratio(self) -> Decimal | None:
        """Maintenance ratio as a fraction (3 = 300%); ``None`` when nothing is owed."""
        if self.liabilities <= 0:
            return None
        return self.assets / self.liabilities

    def ratio_after_withdrawal(self, amount: Decimal) -> Decimal | None:
        if self.liabilities <= 0:
            return None
        return (self.assets - amount) / self.liabilities

    def withdrawable(self, min_ratio: Decimal | None) -> Decimal:
        """Most cash that can leave while the ratio stays at or above ``min_ratio``."""
        if self.liabilities <= 0 or min_ratio is None:
            return max(self.cash, ZERO)
        room = min(self.assets - min_ratio * self.liabilities, self.cash)
        if room <= 0:
            return ZERO
        rounded = quantize_money(room)
        # Never round a limit up: half a cent more would break the ratio it protects.
        return rounded if rounded <= room else rounded - CENT


def market_values(margin_account_ids: Iterable[int], on: date) -> dict[int, Decimal]:
    """Securities at market value per margin account: one query, marked at the last close."""
    last_close = DailyBar.objects.filter(instrument=OuterRef("instrument"), date__lte=on).order_by(
        "-date"
    )
    rows = (
        Position.objects.filter(margin_account_id__in=list(margin_account_ids), quantity__gt=0)
        .annotate(close=Subquery(last_close.values("close")[:1]))
        .values_list("margin_account_id", "quantity", "close")
    )
    values: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account_id, quantity, close in rows:
        if close is not None:
            values[account_id] += quantity * close
    return {k: quantize_money(v) for k, v in values.items()}


def _ledger_figures(margin_account_ids: list[int], currency: str) -> dict[int, dict[str, Decimal]]:
    rows = LedgerBalance.objects.filter(
        ledger_account__margin_account_id__in=margin_account_ids,
        ledger_account__currency=currency,
    ).values_list(
        "ledger_account__margin_account_id",
        "ledger_account__account_type_id",
        "balance",
        "normal_side",
    )
    figures: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for account_id, code, balance, side in rows:
        figures[account_id][code] = balance if side == NormalSide.DEBIT else -balance
    return figures


SecuritiesValuer = Callable[[list[int], date], dict[int, Decimal]]


def valuations(
    margin_account_ids: Iterable[int],
    on: date,
    currency: str = DEFAULT_CURRENCY,
    *,
    securities_valuer: SecuritiesValuer | None = None,
) -> dict[int, Valuation]:
    """Valuations for many accounts in two queries; securities at the last close unless a
    ``securities_valuer`` prices them otherwise (the risk engine marks at intraday quotes)."""
    ids = list(margin_account_ids)
    figures = _ledger_figures(ids, currency)
    securities = (securities_valuer or market_values)(ids, on)
    result = {}
    for account_id in ids:
        f = figures.get(account_id, {})
        result[account_id] = Valuation(
            margin_account_id=account_id,
            on=on,
            cash=f.get(ChartCode.CLIENT_CASH, ZERO),
            securities_value=securities.get(account_id, ZERO),
            financed_principal=f.get(ChartCode.FINANCED_PRINCIPAL, ZERO),
            accrued_interest=f.get(ChartCode.INTEREST_RECEIVABLE, ZERO),
            fees=f.get(ChartCode.FEES_RECEIVABLE, ZERO),
        )
    return result


def account_valuation(*, margin_account: MarginAccount, on: date) -> Valuation:
    return valuations([margin_account.pk], on, margin_account.currency)[margin_account.pk]
