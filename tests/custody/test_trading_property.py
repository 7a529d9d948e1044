"""Property: whatever orders and fills arrive, the ledger balances, nothing goes short, and
fills, positions and postings reconcile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import DomainError
from custody.models import Position
from custody.selectors import ledger_total, natural_balances
from custody.services.trading_reconcile import trading_differences
from markets.models import Instrument
from tests.custody.trading import fill, make_trader, stock, submit

pytestmark = pytest.mark.usefixtures("credit_rules")
DAYS = [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]

step = st.tuples(
    st.sampled_from(["buy", "sell"]),
    st.integers(min_value=1, max_value=40),  # lots of 100, or odd sizes for sells
    st.integers(min_value=-50, max_value=50),  # price in ticks around 10.00
    st.integers(min_value=1, max_value=3),  # fill in this many pieces
    st.sampled_from(DAYS),
)


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_any_sequence_of_orders_and_fills_keeps_the_books_straight(make_staff, steps):
    account = make_trader(make_staff, cash="200000")
    instrument = Instrument.objects.filter(code="600000").first() or stock("600000")
    for side, lots, ticks, pieces, day in sorted(steps, key=lambda s: s[4]):
        price = Decimal("10.00") + Decimal(ticks) / 100
        held = Position.objects.filter(margin_account=account).first()
        quantity = (
            lots * 100 if side == "buy" else min(lots * 100, int(held.quantity if held else 0))
        )
        if quantity <= 0:
            continue
        result = submit(account, instrument, side, quantity, str(price), on=day)
        if not result.accepted:
            continue
        size = quantity // pieces
        for n in range(pieces):
            part = size if n < pieces - 1 else quantity - size * (pieces - 1)
            try:
                fill(result.order, part, str(price))
            except DomainError:
                break  # e.g. a sell of shares bought the same day
        assert ledger_total() == Decimal("0.00")
        assert natural_balances(account).get("client_cash", Decimal(0)) >= 0
        assert trading_differences() == []
    assert all(p.quantity >= 0 for p in Position.objects.all())
