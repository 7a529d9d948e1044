"""The demo's shared context: who the staff are and which day the book is seeded for.

``manage.py demo_seed`` builds one :class:`DemoContext` and hands it to each app's
``<app>/demo.py:seed(ctx)`` in workflow order. Every seed function must be idempotent: a second
run finds its rows and reuses them.

The demo's calendar, shared by every app so their dates agree:

* ``rules_from`` — the firm's credit rules (packages, policy, regime) are in force from here on
  (the first day of the month before the demo day), so every past demo day has terms;
* ``opening_day`` — the demo clients' credit lines start, their margin accounts are opened and
  funded and their financing drawn on this trading day, before any cleared day;
* ``cleared_days`` — the last :data:`CLEARED_DAYS` trading days up to the demo day, which the
  settlement demo clears (the trading demo trades on the last two).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

CLEARED_DAYS = 4
OPENING_LEAD = 5  # trading days between the opening day and the first cleared day


@dataclass
class DemoContext:
    today: date
    staff: dict[str, Any] = field(default_factory=dict)
    credentials: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    log: Callable[[str], None] = print  # noqa: T202  (replaced by the command's stdout)

    def person(self, username: str) -> Any:
        return self.staff[username]

    @property
    def session(self) -> date:
        """The demo's last trading session: today when it is one, else the one before."""
        from markets import calendar

        if calendar.is_trading_day(self.today):
            return self.today
        return calendar.previous_trading_day(self.today)

    @property
    def cleared_days(self) -> list[date]:
        from markets import calendar

        days = [self.session]
        while len(days) < CLEARED_DAYS:
            days.insert(0, calendar.previous_trading_day(days[0]))
        return days

    @property
    def opening_day(self) -> date:
        from markets import calendar

        return calendar.add_trading_days(self.cleared_days[0], -OPENING_LEAD)

    @property
    def rules_from(self) -> date:
        first_of_month = self.opening_day.replace(day=1)
        return (first_of_month - timedelta(days=1)).replace(day=1)
