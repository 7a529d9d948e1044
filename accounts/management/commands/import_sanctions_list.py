from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import sanctions_list_import
from core.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Import a sanctions / PEP list (CSV or FollowTheMoney JSON lines); every client is "
        "screened again once the import commits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--key", required=True, help="stable list key, e.g. un-sc")
        parser.add_argument("--name", required=True)
        parser.add_argument("--format", choices=["csv", "ftm"], required=True, dest="fmt")
        parser.add_argument("--pep", action="store_true", help="a PEP register")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = sanctions_list_import(
                key=options["key"],
                name=options["name"],
                fmt=options["fmt"],
                content=options["file"].read_bytes(),
                is_pep=options["pep"],
                by=None,
            )
        except (DomainError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
