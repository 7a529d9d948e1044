"""Pre-trade fixtures: the trading day and credit rules shared with the custody trading tests."""

from tests.custody.trading import credit_rules, frozen  # noqa: F401
