"""The exact Decimal check behind every action the engine takes.

The same formula as :class:`custody.valuation.Valuation` (cash + securities) / (principal +
accrued interest + fees), with securities marked at the engine's price (the last quote of a day
later than the last close, else the last close — :func:`risk.margin.book.last_prices`), so the
float screen and this check read the same prices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from core.money import DEFAULT_CURRENCY, ZERO, quantize_money
from custody.enums import ChartCode, NormalSide
from custody.models import LedgerBalance, Position
from custody.valuation import Valuation
from risk.margin.book import last_prices


def _ledger(ids: list[int], currency: str) -> dict[int, dict[str, Decimal]]:
    rows = LedgerBalance.objects.filter(
        ledger_account__margin_account_id__in=ids, ledger_account__currency=currency
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


def _securities(ids: list[int], on: date) -> dict[int, Decimal]:
    rows = list(
        Position.objects.filter(margin_account_id__in=ids, quantity__gt=0).values_list(
            "margin_account_id", "instrument_id", "quantity"
        )
    )
    prices = last_prices(sorted({r[1] for r in rows}), on)
    values: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account_id, instrument_id, quantity in rows:
        values[account_id] += quantity * prices.get(instrument_id, ZERO)
    return {k: quantize_money(v) for k, v in values.items()}


def exact_valuations(
    margin_account_ids: Iterable[int], on: date, currency: str = DEFAULT_CURRENCY
) -> dict[int, Valuation]:
    """Exact valuations for a few accounts (three queries however many)."""
    ids = list(margin_account_ids)
    figures = _ledger(ids, currency)
    securities = _securities(ids, on)
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


def exact_valuation(margin_account_id: int, on: date) -> Valuation:
    return exact_valuations([margin_account_id], on)[margin_account_id]
