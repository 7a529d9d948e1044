"""Import a custodian bank statement (CSV or camt.053 XML) as a named staff member."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from core.exceptions import DomainError
from custody.services.statements import statement_import


class Command(BaseCommand):
    help = "Import a bank statement file; a bad file is refused whole, naming the line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--as", dest="username", required=True, help="staff username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        path = Path(options["path"])
        try:
            statement = statement_import(file_name=path.name, data=path.read_bytes(), by=user)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{statement.file_name}: {statement.line_count} lines, {statement.matched_count} "
            f"matched, {statement.break_count} breaks"
        )
