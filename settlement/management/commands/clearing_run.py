"""Run (or resume, or rerun) the nightly clearing for a business date in this process."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.exceptions import DomainError
from settlement.enums import RunStatus
from settlement.models import ClearingRun
from settlement.services import clearing_run


class Command(BaseCommand):
    help = (
        "Clear a business date: marks, interest, fees, statements, reconciliation, report. "
        "A failed or interrupted run continues where it stopped; --rerun runs every step again "
        "(posting nothing twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--resume", action="store_true", help="continue a run that failed or was interrupted"
        )
        parser.add_argument("--rerun", action="store_true", help="run every step again")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date {options['date']!r} is not YYYY-MM-DD") from exc
        existing = ClearingRun.objects.filter(business_date=day).first()
        if options["resume"] and existing is None:
            raise CommandError(f"there is no clearing run for {day} to resume")
        try:
            run = clearing_run(business_date=day, rerun=options["rerun"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        for step in run.steps.order_by("position"):
            shards = f" {step.shards_done}/{step.shards_total} shards" if step.shards_total else ""
            self.stdout.write(
                f"{step.position:>4} {step.key:<16} {step.status:<8}{shards} "
                f"entries={step.entries_posted} rows={step.rows_written}"
            )
        if run.status != RunStatus.COMPLETED:
            raise CommandError(f"clearing {day} is {run.status}: {run.error}")
        self.stdout.write(self.style.SUCCESS(f"clearing {day} completed"))
