"""Console queues owned by markets."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.console import WorkQueue, register_queue
from markets import calendar
from markets.models import ExchangeHoliday


def calendar_years_missing() -> int:
    """1 when next year's exchange closures are due and none are entered yet."""
    last = calendar.library_last_day()
    if timezone.localdate() < last - timedelta(days=60):
        return 0
    next_year = last.year + 1
    return 0 if ExchangeHoliday.objects.filter(day__year=next_year).exists() else 1


def register() -> None:
    register_queue(
        WorkQueue(
            key="markets.calendar",
            title=_("Trading calendar"),
            description=_(
                "Enter next year's announced exchange closures: the calendar library records "
                "holidays only up to the end of this year."
            ),
            count=calendar_years_missing,
            url_name="admin:markets_exchangeholiday_changelist",
            permission="markets.add_exchangeholiday",
            order=900,
        )
    )
