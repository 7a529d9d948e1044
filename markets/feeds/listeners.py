"""Who hears about prices: plain callbacks registered by apps to the right of ``markets``.

An app registers in its ``AppConfig.ready()`` (the risk engine, to re-evaluate only accounts that
hold an instrument that ticked)::

    from markets.feeds import register_price_listener
    register_price_listener(margin_on_tick)

Listeners run after the ticks are stored and committed, in registration order; each owns its own
transaction. An exception in a listener propagates to the caller (the feed run stops and says
so) — prices already stored stay stored, because they are facts whatever a listener makes of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PriceTick:
    """Instruments whose price moved at ``at`` (quotes or a closing bar)."""

    at: datetime
    instrument_ids: tuple[int, ...]
    codes: tuple[str, ...]
    closing: bool = False  # True when the tick carries the day's closing bars


PriceListener = Callable[[PriceTick], None]

_listeners: list[PriceListener] = []


def register_price_listener(listener: PriceListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unregister_price_listener(listener: PriceListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def price_listeners() -> tuple[PriceListener, ...]:
    return tuple(_listeners)


def notify_price_listeners(tick: PriceTick) -> None:
    for listener in tuple(_listeners):
        listener(tick)
