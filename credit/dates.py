"""Month arithmetic for credit terms ("six months" from a date)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_last_day(start: date, months: int) -> date:
    """The last day of a term of ``months`` that begins on ``start`` (inclusive)."""
    return add_months(start, months) - timedelta(days=1)
