from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.exceptions import DomainError
from markets.enums import PriceSource
from markets.funding_import import funding_import


class Command(BaseCommand):
    help = (
        "Import market funding series (date,series,value) from CSV files: GC001, R007, SHIBOR "
        "O/N, 1W, 3M (percent per year) and the market margin balance (CNY). Every row is "
        "checked first; a bad row is reported with its line number and nothing from that file "
        "is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--illustrative",
            action="store_true",
            help="mark the values as synthetic (sample data, not market history)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = PriceSource.SYNTHETIC if options["illustrative"] else PriceSource.FILE
        failures = 0
        for path in options["files"]:
            try:
                with path.open(newline="", encoding="utf-8") as handle:
                    count = funding_import(handle=handle, source=source)
            except OSError as exc:
                failures += 1
                self.stderr.write(f"{path}: cannot read: {exc.strerror}")
            except DomainError as exc:
                failures += 1
                self.stderr.write(f"{path}: {exc}")
            else:
                self.stdout.write(f"{path}: {count} values")
        if failures:
            raise CommandError(f"{failures} file(s) not imported")
