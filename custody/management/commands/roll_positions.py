"""T+1 roll after the close: what was bought on or before the date becomes sellable."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from custody.services.orders import orders_expire
from custody.services.positions import positions_roll_sellable


class Command(BaseCommand):
    help = "After the close of a business date: expire its open day orders, roll T+1 positions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate()
        expired = orders_expire(trade_date=day)
        rolled = positions_roll_sellable(business_date=day)
        self.stdout.write(f"{day}: {expired} order(s) expired, {rolled} position(s) rolled")
