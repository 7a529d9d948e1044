from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.exceptions import DomainError
from markets.bars_import import bars_import


class Command(BaseCommand):
    help = (
        "Import daily bars (datetime,open,high,low,close,volume[,amount]) from CSV files. "
        "Every row is checked first; a malformed row is reported with its line number and "
        "nothing from that file is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--code", help="instrument code (default: the file name, e.g. 000002)")
        parser.add_argument("--name", help="instrument name when it is new (default: the code)")

    def handle(self, *args: Any, **options: Any) -> None:
        failures = 0
        for path in options["files"]:
            code = options["code"] or path.stem
            try:
                with path.open(newline="", encoding="utf-8") as handle:
                    instrument, count = bars_import(
                        code=code, name=options["name"] or code, handle=handle
                    )
            except OSError as exc:
                failures += 1
                self.stderr.write(f"{path}: cannot read: {exc.strerror}")
            except DomainError as exc:
                failures += 1
                self.stderr.write(f"{path}: {exc}")
            else:
                self.stdout.write(f"{path}: {count} bars for {instrument}")
        if failures:
            raise CommandError(f"{failures} file(s) not imported")
