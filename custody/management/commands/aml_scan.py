"""Run the daily fund-flow (AML) scan for a business date (default: today)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from custody.services.aml import aml_daily_scan


class Command(BaseCommand):
    help = "Screen every account that moved money on the date; open AML cases for rule hits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate()
        cases = aml_daily_scan(day=day)
        for case in cases:
            self.stdout.write(f"opened {case}: {case.summary} (due {case.due_on})")
        self.stdout.write(f"{day}: {len(cases)} new case(s)")
