"""Fills and positions against the ledger; exit status 1 when anything differs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from custody.services.trading_reconcile import trading_differences


class Command(BaseCommand):
    help = "Reconcile fills, positions and trade postings (quantities, cost, cash, fees, credit)."

    def handle(self, *args: Any, **options: Any) -> None:
        differences = trading_differences()
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(f"{len(differences)} trading difference(s)")
        self.stdout.write("fills, positions and the ledger agree")
