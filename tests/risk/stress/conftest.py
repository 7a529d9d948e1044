"""Real bars of 000002 / 000333 around the Vanke resumption, accounts, and hand-built books."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from accounts.enums import StaffRole
from custody.models import MarginAccount
from custody.services.accounts import margin_account_open
from markets.bars_import import bars_import_text
from markets.models import Instrument
from risk.margin.book import Book
from tests.custody.factories import ActiveClientFactory

ASHARE = Path(__file__).resolve().parents[3] / "markets" / "fixtures" / "ashare"


def real_bars(code: str, start: str, end: str) -> Instrument:
    """Import the real bars of ``code`` between two dates from the project's fixture."""
    lines = (ASHARE / f"{code}.csv").read_text().splitlines()
    kept = [lines[0], *[row for row in lines[1:] if start <= row[:10] <= end]]
    instrument, _ = bars_import_text(code=code, name=f"Stock {code}", text="\n".join(kept) + "\n")
    return instrument


@pytest.fixture
def vanke_bars(db) -> dict[str, Instrument]:
    return {
        "000002": real_bars("000002", "2015-10-01", "2016-07-15"),
        "000333": real_bars("000333", "2015-10-01", "2016-07-15"),
    }


@pytest.fixture
def make_account(db, make_staff) -> Callable[[], MarginAccount]:
    ops = make_staff(StaffRole.OPERATIONS)

    def make() -> MarginAccount:
        client = ActiveClientFactory.create()
        return margin_account_open(
            client=client,
            by=ops,
            bank_name="ICBC Beijing",
            bank_account_no="6222020200112233445",
            bank_account_holder=client.display_name,
        )

    return make


def book_of(
    on: date,
    accounts: list[MarginAccount],
    cash: list[float],
    debt: list[float],
    instruments: list[Instrument],
    prices: list[float],
    positions: list[tuple[int, int, float]],
) -> Book:
    """A book with the common 140 / 130 / 160% lines (positions: account, instrument, qty)."""
    n = len(accounts)
    return Book(
        on=on,
        account_ids=np.array([a.pk for a in accounts], dtype=np.int64),
        cash=np.array(cash, dtype=float),
        debt=np.array(debt, dtype=float),
        warning_line=np.full(n, 1.4),
        liquidation_line=np.full(n, 1.3),
        topup_target=np.full(n, 1.6),
        instrument_ids=np.array([i.pk for i in instruments], dtype=np.int64),
        prices=np.array(prices, dtype=float),
        pos_account=np.array([p[0] for p in positions], dtype=np.int32),
        pos_instrument=np.array([p[1] for p in positions], dtype=np.int32),
        pos_quantity=np.array([p[2] for p in positions], dtype=float),
        pos_sellable=np.array([p[2] for p in positions], dtype=float),
        pos_haircut=np.full(len(positions), 0.6),
    )
