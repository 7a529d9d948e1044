"""Run the day's contract transitions: expire unsigned offers and ended terms, activate due ones."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from contracts.services import contracts_daily


class Command(BaseCommand):
    help = (
        "Withdraw offers whose credit line ended, expire unsigned contracts past their deadline "
        "and ended terms; activate started ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="business date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = contracts_daily(today=options["date"])
        self.stdout.write(
            f"expired unsigned: {result.expired_unsigned}; activated: {result.activated}; "
            f"expired at term end: {result.expired_ended}; withdrawn (credit line ended): "
            f"{result.withdrawn}"
        )
