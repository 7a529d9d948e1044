"""Money: Decimal only, one rounding rule, one field size.

Every amount in Fulcrum passes through :func:`to_decimal` on the way in and :func:`quantize_money`
where it is rounded. Floats are refused outright: a float that reaches a ledger is a bug.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models

# One field size for every amount: up to 10^16 yuan with cents.
MONEY_MAX_DIGITS = 18
MONEY_DECIMAL_PLACES = 2
# Rates (interest, fees, haircuts, ratios) carry more places than money.
RATE_MAX_DIGITS = 12
RATE_DECIMAL_PLACES = 8
# Prices: A-shares tick at 0.01, but marks and averages need room.
PRICE_MAX_DIGITS = 14
PRICE_DECIMAL_PLACES = 4
QUANTITY_MAX_DIGITS = 18

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_CURRENCY = "CNY"
CURRENCIES = [("CNY", "CNY"), ("USD", "USD"), ("HKD", "HKD")]


class FloatMoneyError(TypeError):
    """Raised when a float is offered as money."""


def to_decimal(value: Any) -> Decimal:
    """Convert an int, str or Decimal to Decimal; refuse floats and garbage.

    Strings are accepted because forms, CSV files and JSON carry money as text.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise FloatMoneyError(f"money must not be a float or bool, got {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    else:
        raise TypeError(f"cannot treat {type(value).__name__} as money")
    if not result.is_finite():
        raise ValueError(f"money must be finite, got {value!r}")
    return result


def quantize_money(value: Any) -> Decimal:
    """Round to cents, half up — the single rounding rule for amounts posted or shown."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def quantize_rate(value: Any) -> Decimal:
    """Round a rate or ratio to the stored precision."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-RATE_DECIMAL_PLACES), ROUND_HALF_UP)


def quantize_price(value: Any) -> Decimal:
    """Round a price to the stored precision."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-PRICE_DECIMAL_PLACES), ROUND_HALF_UP)


def format_money(value: Any, currency: str = DEFAULT_CURRENCY) -> str:
    """Human form with thousands separators: ``CNY 1,234,567.80``."""
    return f"{currency} {quantize_money(value):,.2f}"


def money_field(**kwargs: Any) -> models.DecimalField[Any, Any]:
    """A ``DecimalField`` sized for money; every model amount uses this."""
    kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
    kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
    return models.DecimalField(**kwargs)


def rate_field(**kwargs: Any) -> models.DecimalField[Any, Any]:
    """A ``DecimalField`` sized for rates and ratios."""
    kwargs.setdefault("max_digits", RATE_MAX_DIGITS)
    kwargs.setdefault("decimal_places", RATE_DECIMAL_PLACES)
    return models.DecimalField(**kwargs)


def price_field(**kwargs: Any) -> models.DecimalField[Any, Any]:
    """A ``DecimalField`` sized for prices."""
    kwargs.setdefault("max_digits", PRICE_MAX_DIGITS)
    kwargs.setdefault("decimal_places", PRICE_DECIMAL_PLACES)
    return models.DecimalField(**kwargs)


def currency_field(**kwargs: Any) -> models.CharField[str, str]:
    """The ISO 4217 currency kept beside every amount."""
    kwargs.setdefault("max_length", 3)
    kwargs.setdefault("choices", CURRENCIES)
    kwargs.setdefault("default", DEFAULT_CURRENCY)
    return models.CharField(**kwargs)
