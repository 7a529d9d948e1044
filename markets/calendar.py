"""The XSHG trading calendar, with date-level helpers.

Sessions come from ``exchange_calendars`` (XSHG) as far as that library records holidays. Beyond
its last recorded year, the exchange's announced closures are data: ``ExchangeHoliday`` rows
entered (and approved) in the console, with every other weekday a session. That extension is read
from the database only when a question reaches past the library's range, and re-read at most every
few minutes so that web and worker processes pick up a newly entered holiday.
"""

from __future__ import annotations

import bisect
import time
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import exchange_calendars as xcals

CALENDAR_NAME = "XSHG"
FIRST_DAY = "2005-01-04"
EXTENSION_YEARS = 3
EXTENSION_TTL_SECONDS = 300


@lru_cache(maxsize=1)
def _library_calendar() -> xcals.ExchangeCalendar:
    return xcals.get_calendar(CALENDAR_NAME, start=FIRST_DAY)


@lru_cache(maxsize=1)
def _library_sessions() -> tuple[date, ...]:
    return tuple(ts.date() for ts in _library_calendar().sessions)


def library_last_day() -> date:
    """The last day whose holidays the calendar library records."""
    return date(int(_library_calendar().bound_max().year), 12, 31)


_extension: dict[str, Any] = {"loaded_at": 0.0, "sessions": ()}


def _extended_sessions() -> tuple[date, ...]:
    now = time.monotonic()
    if now - float(_extension["loaded_at"]) > EXTENSION_TTL_SECONDS or not _extension["sessions"]:
        from markets.models import ExchangeHoliday

        start = library_last_day() + timedelta(days=1)
        end = date(start.year + EXTENSION_YEARS, 12, 31)
        closed = set(
            ExchangeHoliday.objects.filter(
                calendar=CALENDAR_NAME, day__gte=start, day__lte=end
            ).values_list("day", flat=True)
        )
        days = (start + timedelta(days=i) for i in range((end - start).days + 1))
        extra = tuple(d for d in days if d.weekday() < 5 and d not in closed)
        _extension["sessions"] = _library_sessions() + extra
        _extension["loaded_at"] = now
    sessions: tuple[date, ...] = _extension["sessions"]
    return sessions


def refresh() -> None:
    """Forget the cached extension (after a holiday is entered)."""
    _extension["loaded_at"] = 0.0
    _extension["sessions"] = ()


def _sessions_for(*days: date) -> tuple[date, ...]:
    # Stay database-free unless the question reaches beyond the library's range.
    horizon = library_last_day() - timedelta(days=30)
    if all(d <= horizon for d in days):
        return _library_sessions()
    return _extended_sessions()


def is_trading_day(day: date) -> bool:
    sessions = _sessions_for(day)
    i = bisect.bisect_left(sessions, day)
    return i < len(sessions) and sessions[i] == day


def next_trading_day(day: date) -> date:
    """The first trading day strictly after ``day``."""
    sessions = _sessions_for(day)
    return sessions[bisect.bisect_right(sessions, day)]


def previous_trading_day(day: date) -> date:
    """The last trading day strictly before ``day``."""
    sessions = _sessions_for(day)
    return sessions[bisect.bisect_left(sessions, day) - 1]


def add_trading_days(day: date, count: int) -> date:
    """The ``count``-th trading day after ``day`` (``day`` itself need not be a session)."""
    sessions = _sessions_for(day + timedelta(days=count * 2 + 30))
    return sessions[bisect.bisect_right(sessions, day) + count - 1]


def trading_days_between(start: date, end: date) -> list[date]:
    """Trading days in ``[start, end]``."""
    sessions = _sessions_for(end)
    return list(sessions[bisect.bisect_left(sessions, start) : bisect.bisect_right(sessions, end)])


def count_trading_days(start: date, end: date) -> int:
    """Trading days in ``(start, end]`` — e.g. how many sessions a deadline spans."""
    sessions = _sessions_for(end)
    return bisect.bisect_right(sessions, end) - bisect.bisect_right(sessions, start)
