"""Day counts and the arithmetic of daily charges (pure functions, no database).

Convention (documented in docs/settlement.md): the run for trading day D accrues every calendar
day from D up to, not including, the next trading day — a Friday run accrues Friday, Saturday and
Sunday; the last run before a holiday accrues the holiday. The balance accrued on is the close of
D, which is what the client owes over those days (nothing settles while the market is closed).
Each calendar day uses the rate in force on that day, so a rate that changes on a Saturday
applies from the Saturday. The sum of the day fractions is multiplied by the principal and
rounded once per entry (to cents, half up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal

from core.money import quantize_money
from markets import calendar

DAY_BASIS = {"ACT/365": 365, "ACT/360": 360}


def accrual_days(business_date: date) -> list[date]:
    """Calendar days the run for ``business_date`` accrues: [D, next trading day)."""
    following = calendar.next_trading_day(business_date)
    return [business_date + timedelta(days=i) for i in range((following - business_date).days)]


def day_basis(day_count: str) -> int:
    try:
        return DAY_BASIS[day_count]
    except KeyError as exc:
        raise ValueError(f"unknown day count {day_count!r}; use ACT/365 or ACT/360") from exc


def annual_factor(days: Iterable[date], rate_on: Callable[[date], tuple[Decimal, str]]) -> Decimal:
    """Σ rate(d) / basis(d) over ``days``; ``rate_on(d)`` gives (annual rate, day count)."""
    total = Decimal(0)
    for day in days:
        rate, day_count = rate_on(day)
        total += rate / day_basis(day_count)
    return total


def daily_factor(days: Iterable[date], rate_on: Callable[[date], Decimal]) -> Decimal:
    """Σ daily rate(d) over ``days`` (penalty interest quoted per day)."""
    return sum((rate_on(day) for day in days), Decimal(0))


def charge(principal: Decimal, factor: Decimal) -> Decimal:
    return quantize_money(principal * factor)


def split_vat(amount: Decimal, vat_rate: Decimal) -> tuple[Decimal, Decimal]:
    """(income, VAT) of a VAT-inclusive charge: VAT = amount × r / (1 + r), to cents."""
    vat = quantize_money(amount * vat_rate / (1 + vat_rate)) if vat_rate else Decimal("0.00")
    return amount - vat, vat


def is_month_end(business_date: date) -> bool:
    """The last trading day of its month."""
    return calendar.next_trading_day(business_date).month != business_date.month
