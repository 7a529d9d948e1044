from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import totp_current_code
from core.exceptions import DomainError


class Command(BaseCommand):
    help = "Print a user's current TOTP code (demo installations only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.FULCRUM_DEMO_TOOLS:
            raise CommandError("disabled: FULCRUM_DEMO_TOOLS is off on this installation")
        try:
            user = User.objects.get(username=options["username"])
            self.stdout.write(totp_current_code(user=user))
        except User.DoesNotExist as exc:
            raise CommandError(f"no user called {options['username']!r}") from exc
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
