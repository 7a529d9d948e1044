"""Row locks for trading and financing, always taken in the same order (no deadlocks):

margin account → order → position → ledger balances (``post_entry``, primary-key order).

Every service that moves an account's cash, credit or shares locks the margin account row first,
so two margin buys, a drawdown and a fill on one account run one after the other.
"""

from __future__ import annotations

from custody.models import MarginAccount, Order, Position


def account_for_update(pk: int) -> MarginAccount:
    return MarginAccount.objects.select_for_update().select_related("client").get(pk=pk)


def order_for_update(pk: int) -> Order:
    return Order.objects.select_for_update().get(pk=pk)


def position_for_update(margin_account_id: int, instrument_id: int) -> Position:
    Position.objects.get_or_create(margin_account_id=margin_account_id, instrument_id=instrument_id)
    return Position.objects.select_for_update().get(
        margin_account_id=margin_account_id, instrument_id=instrument_id
    )
