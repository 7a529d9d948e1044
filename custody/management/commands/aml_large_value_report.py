"""Write the day's large-value report (CSV); the export is recorded in the audit log."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from core.exceptions import DomainError
from custody.services.aml import large_value_report


class Command(BaseCommand):
    help = "Export the large-value transaction report for one business date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, required=True)
        parser.add_argument("--as", dest="username", required=True, help="compliance username")
        parser.add_argument("--out", type=Path, default=Path("."))

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        try:
            name, text = large_value_report(day=options["date"], by=user)
        except DomainError as error:
            raise CommandError(str(error)) from error
        target = options["out"] / name if options["out"].is_dir() else options["out"]
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {target} ({len(text.splitlines()) - 1} rows)")
