"""A-share instrument rules: ticks, lots, daily price-limit bands, limit prices and halts.

Pure checks live in :mod:`markets.rules.pure` (no database); :mod:`markets.rules.days` applies
them to instruments and days; :class:`RuleBook` holds the dated parameters.
"""

from markets.rules.book import SET_KEY, RuleBook, validate_rule_values
from markets.rules.days import (
    is_suspended,
    limit_prices,
    market_day,
    market_day_from,
    market_days,
    price_band,
    validate_lot,
    validate_order_price,
)
from markets.rules.pure import (
    LotRule,
    MarketDay,
    PriceBand,
    limit_prices_from,
    lot_problems,
    price_problems,
    round_to_tick,
)

__all__ = [
    "SET_KEY",
    "LotRule",
    "MarketDay",
    "PriceBand",
    "RuleBook",
    "is_suspended",
    "limit_prices",
    "limit_prices_from",
    "lot_problems",
    "market_day",
    "market_day_from",
    "market_days",
    "price_band",
    "price_problems",
    "round_to_tick",
    "validate_lot",
    "validate_order_price",
    "validate_rule_values",
]
