"""How numbers, money and dates read in contract text, per language.

Deterministic on purpose (no locale lookups): the same terms must always give the same bytes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.money import quantize_money, to_decimal

_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_CN_DIGITS = "零一二三四五六七八九"
ZH = "zh-hans"


def percent(value: Decimal | str) -> str:
    """A ratio as a percentage: ``1.40`` → ``140%``, ``0.0835`` → ``8.35%``."""
    scaled = to_decimal(value) * 100
    text = format(scaled.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def money(value: Decimal | str, language: str, currency: str = "CNY") -> str:
    amount = f"{quantize_money(value):,.2f}"
    if language == ZH and currency == "CNY":
        return f"人民币 {amount} 元"
    return f"{currency} {amount}"


def long_date(value: date, language: str) -> str:
    if language == ZH:
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def chinese_number(n: int) -> str:
    """Article numbers in Chinese: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_CN_DIGITS[tens]}十")
    return head + (_CN_DIGITS[ones] if ones else "")


def article_heading(n: int, title: str, language: str) -> str:
    if language == ZH:
        return f"第{chinese_number(n)}条　{title}"
    return f"Article {n}. {title}"


def mask_name(name: str, *, institution: bool = False) -> str:
    """Enough to recognise, not to identify: ``张三`` → ``张*``, ``Wang Fang`` → ``W*** F***``."""
    name = name.strip()
    if not name:
        return ""
    if institution:
        if len(name) <= 6:
            return name[:1] + "*" * (len(name) - 1)
        return name[:2] + "*" * (len(name) - 6) + name[-4:]
    if name.isascii():
        return " ".join(part[:1] + "***" for part in name.split())
    return name[:1] + "*" * (len(name) - 1)
