"""Install the starting credit rules (packages, scorecard, policy, regime) by maker-checker."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from core.exceptions import DomainError
from credit.services import credit_defaults_install


class Command(BaseCommand):
    help = (
        "Propose (as --maker) and approve (as --checker) the default packages, scorecard, "
        "policy and market regime for every set with nothing in force yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--maker", required=True, help="username proposing")
        parser.add_argument("--checker", required=True, help="a different username approving")
        parser.add_argument(
            "--effective-from", type=date.fromisoformat, help="first day (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            maker = User.objects.get(username=options["maker"])
            checker = User.objects.get(username=options["checker"])
        except User.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        try:
            installed = credit_defaults_install(
                maker=maker,
                checker=checker,
                effective_from=options["effective_from"] or timezone.localdate(),
                reason="starting credit rules installed with credit_install_defaults",
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"installed: {', '.join(installed) or 'nothing (already in force)'}")
