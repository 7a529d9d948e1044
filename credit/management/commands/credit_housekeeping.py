"""Expire stale credit applications and lapsed credit lines (the scheduler's job, by hand)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from credit.services import credit_applications_expire, credit_lines_expire


class Command(BaseCommand):
    help = "Expire credit applications past their deadline and lines past their last day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="as of (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"]
        applications = credit_applications_expire(today=today)
        lines = credit_lines_expire(today=today)
        self.stdout.write(
            f"expired {len(applications)} application(s) {applications} and "
            f"{len(lines)} credit line(s) {lines}"
        )
