"""``manage.py risk_backtest --package balanced --codes 000001 000002 000333 --from 2015-06-15
--to 2016-07-15 [--equity 100000]``: a leverage package replayed over real bars."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from risk.stress.backtest import leverage_backtest_run


class Command(BaseCommand):
    help = "Backtest a leverage package's lines and financing ratio over real daily bars."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--package", required=True)
        parser.add_argument("--codes", nargs="+", required=True)
        parser.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
        parser.add_argument("--equity", type=Decimal, default=Decimal("100000"))

    def handle(self, *args: Any, **options: Any) -> None:
        result = leverage_backtest_run(
            package=options["package"],
            codes=options["codes"],
            start=options["start"],
            end=options["end"],
            equity=options["equity"],
            actor=None,
        )
        self.stdout.write(
            f"backtest #{result.pk}: {result.calls} margin calls, {result.liquidations} "
            f"liquidations, loss {result.loss:,.2f} (financing ratio {result.financing_ratio})"
        )
        for event in result.events:
            self.stdout.write(f"  {event['date']} {event['code']} {event['event']}")
