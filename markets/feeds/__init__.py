"""Price feeds: the adapter interface, the CSV replay adapter and the tick listeners."""

from markets.feeds.events import BarEvent, PriceEvent, PriceFeed, QuoteEvent
from markets.feeds.listeners import (
    PriceListener,
    PriceTick,
    notify_price_listeners,
    price_listeners,
    register_price_listener,
    unregister_price_listener,
)
from markets.feeds.replay import CsvReplayFeed, intraday_path, session_time

__all__ = [
    "BarEvent",
    "CsvReplayFeed",
    "PriceEvent",
    "PriceFeed",
    "PriceListener",
    "PriceTick",
    "QuoteEvent",
    "intraday_path",
    "notify_price_listeners",
    "price_listeners",
    "register_price_listener",
    "session_time",
    "unregister_price_listener",
]
