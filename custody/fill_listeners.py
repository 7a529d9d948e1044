"""Who hears about fills: plain callbacks registered by apps to the right of custody.

The risk engine registers in its ``AppConfig.ready()``::

    from custody.fill_listeners import register_fill_listener
    register_fill_listener(margin_on_fill)

A listener runs after the fill's transaction has committed (never for a rolled-back fill), with
a :class:`FillEvent`, and owns its own transaction. An exception propagates to the caller of
``fill_capture``; the fill itself stays captured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class FillEvent:
    fill_id: int
    order_id: int
    margin_account_id: int
    instrument_id: int
    side: str
    quantity: int
    price: Decimal
    trade_date: date
    order_status: str


FillListener = Callable[[FillEvent], None]

_listeners: list[FillListener] = []


def register_fill_listener(listener: FillListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unregister_fill_listener(listener: FillListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def fill_listeners() -> tuple[FillListener, ...]:
    return tuple(_listeners)


def notify_fill_listeners(event: FillEvent) -> None:
    for listener in tuple(_listeners):
        listener(event)
