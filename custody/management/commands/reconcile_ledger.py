"""Check every running balance against the sum of its postings."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from custody.services.reconcile import reconcile_ledger


class Command(BaseCommand):
    help = (
        "Compare every ledger running balance with the sum of its postings; exit 1 on a difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--record", action="store_true", help="open a reconciliation break per difference"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        differences = reconcile_ledger(record_breaks=options["record"])
        if not differences:
            self.stdout.write("every running balance equals the sum of its postings")
            return
        for diff in differences:
            self.stdout.write(
                f"{diff.label}: running {diff.running}, postings {diff.from_postings}, "
                f"difference {diff.difference}"
            )
        self.stdout.write(f"{len(differences)} ledger account(s) differ")
        raise SystemExit(1)
