"""What the risk monitor shows: accounts by ratio, open calls, liquidations in flight and
per-instrument exposure — computed from the book arrays (one query per table).

Liquidation in flight is filled by the liquidation side: it registers a panel with
:func:`register_liquidation_panel`; each panel returns rows (dicts) for the section. Without
any panel the section lists the calls in liquidation and says nothing more is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import QuerySet

from custody.models import MarginAccount
from markets.models import Instrument
from risk.margin.book import Book, collateral_values, load_book, market_values, ratio_of
from risk.margin.enums import CallStatus, OverrideStatus
from risk.margin.models import MarginCall, MarginCallOverride

LiquidationPanel = Callable[[], list[dict[str, Any]]]
_liquidation_panels: list[LiquidationPanel] = []


def register_liquidation_panel(fn: LiquidationPanel) -> None:
    """The liquidation side adds its rows (plans, orders, fills, shortfall) to the monitor."""
    if fn not in _liquidation_panels:
        _liquidation_panels.append(fn)


def liquidation_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for panel in tuple(_liquidation_panels):
        rows.extend(panel())
    return rows


@dataclass(frozen=True)
class AccountRow:
    account: MarginAccount
    ratio: float
    warning_line: float
    liquidation_line: float
    collateral: float
    package: str


@dataclass(frozen=True)
class ExposureRow:
    instrument: Instrument
    holders: int
    market_value: float
    share: float


def open_calls() -> QuerySet[MarginCall]:
    return (
        MarginCall.objects.filter(status__in=[CallStatus.WARNING, CallStatus.ISSUED])
        .select_related("margin_account__client")
        .order_by("due_on", "last_ratio")
    )


def liquidating_calls() -> QuerySet[MarginCall]:
    return (
        MarginCall.objects.filter(status=CallStatus.LIQUIDATING)
        .select_related("margin_account__client")
        .order_by("opened_at")
    )


def pending_overrides() -> QuerySet[MarginCallOverride]:
    return MarginCallOverride.objects.filter(status=OverrideStatus.PENDING).select_related(
        "call__margin_account", "requested_by"
    )


def lowest_ratios(book: Book, limit: int = 50) -> list[AccountRow]:
    ratio = ratio_of(book.cash + market_values(book), book.debt)
    owing = np.flatnonzero(book.debt > 0)
    order = owing[np.argsort(ratio[owing], kind="stable")][:limit]
    collateral = collateral_values(book)
    accounts = MarginAccount.objects.select_related("client").in_bulk(
        [int(book.account_ids[i]) for i in order]
    )
    return [
        AccountRow(
            accounts[int(book.account_ids[i])],
            float(ratio[i]),
            float(book.warning_line[i]),
            float(book.liquidation_line[i]),
            float(collateral[i]),
            str(book.package_codes[i]) if book.package_codes.size else "",
        )
        for i in order.tolist()
    ]


def exposure(book: Book, limit: int = 30) -> list[ExposureRow]:
    value = book.pos_quantity * book.prices[book.pos_instrument]
    per_instrument = np.bincount(book.pos_instrument, weights=value, minlength=book.prices.size)
    holders = np.diff(book.inst_indptr)
    total = float(per_instrument.sum()) or 1.0
    order = np.argsort(-per_instrument, kind="stable")[:limit]
    instruments = Instrument.objects.in_bulk([int(book.instrument_ids[i]) for i in order])
    return [
        ExposureRow(
            instruments[int(book.instrument_ids[i])],
            int(holders[i]),
            float(per_instrument[i]),
            float(per_instrument[i]) / total,
        )
        for i in order.tolist()
    ]


def monitor_context(on: date) -> dict[str, Any]:
    book = load_book(on)
    ratio = ratio_of(book.cash + market_values(book), book.debt)
    owing = book.debt > 0
    return {
        "on": on,
        "accounts": book.size,
        "owing": int(owing.sum()),
        "below_warning": int((owing & (ratio < book.warning_line)).sum()),
        "below_liquidation": int((owing & (ratio < book.liquidation_line)).sum()),
        "lowest": lowest_ratios(book),
        "open_calls": list(open_calls()[:200]),
        "liquidating": list(liquidating_calls()[:200]),
        "liquidation_rows": liquidation_rows(),
        "overrides": list(pending_overrides()),
        "exposure": exposure(book),
    }
