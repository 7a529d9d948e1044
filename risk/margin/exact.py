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
from custody.models import Position
from custody.valuation import Valuation, valuations
from risk.margin.book import last_prices


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
    return valuations(margin_account_ids, on, currency, securities_valuer=_securities)


def exact_valuation(margin_account_id: int, on: date) -> Valuation:
    return exact_valuations([margin_account_id], on)[margin_account_id]
