from decimal import Decimal

import pytest

from core.money import FloatMoneyError, format_money, quantize_money, to_decimal


def test_float_is_refused_as_money():
    with pytest.raises(FloatMoneyError):
        to_decimal(0.1)


def test_strings_and_ints_become_decimals():
    assert to_decimal("1,234.50") == Decimal("1234.50")
    assert to_decimal(7) == Decimal(7)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("-0.005", "-0.01"), ("2.675", "2.68")],
)
def test_one_rounding_rule_half_up_to_cents(raw, expected):
    assert quantize_money(raw) == Decimal(expected)


def test_garbage_is_refused():
    with pytest.raises(ValueError, match="not a number"):
        to_decimal("12abc")
    with pytest.raises(ValueError, match="finite"):
        to_decimal("NaN")


def test_format_money():
    assert format_money("1234567.8") == "CNY 1,234,567.80"
