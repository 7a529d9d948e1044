"""Run the liquidity models' walk-forward evaluation and store it for the console."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from risk.liquidity.evaluation import SERIES
from risk.stress.evaluation_services import liquidity_models_evaluate


class Command(BaseCommand):
    help = (
        "Evaluate the HAR and ML volume models against the 20-day rolling mean on the bundled "
        "real series (offline) and store one row per series (Risk → Liquidity model evaluations)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--series", nargs="+", choices=list(SERIES), help="only these series (default: all)"
        )
        parser.add_argument("--on", type=date.fromisoformat, help="evaluation date (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = liquidity_models_evaluate(
                on=options["on"] or timezone.localdate(), actor=None, names=options["series"]
            )
        except (KeyError, ValueError) as error:
            raise CommandError(str(error)) from error
        for row in rows:
            self.stdout.write(
                f"{row.series:<8} n={row.forecasts} {row.first_day}..{row.last_day} "
                f"HAR/roll {row.har_mse_ratio:.4f} "
                f"({'meets' if row.har_meets_target else 'misses'} ≤{row.har_target:.2f}) "
                f"ML/roll {row.ml_mse_ratio:.4f} "
                f"({'beats' if row.ml_beats_har else 'does not beat'} HAR)"
            )
        if rows:
            self.stdout.write(f"stored {len(rows)} rows in {rows[0].duration_ms / 1000:.1f} s")
