"""Market writes: instruments and suspensions, prices from feeds."""

from markets.services.instruments import (
    instrument_define,
    instrument_ensure,
    suspension_problems,
    suspension_save,
)
from markets.services.prices import FeedRunSummary, bars_store, feed_run, prices_record

__all__ = [
    "FeedRunSummary",
    "bars_store",
    "feed_run",
    "instrument_define",
    "instrument_ensure",
    "prices_record",
    "suspension_problems",
    "suspension_save",
]
