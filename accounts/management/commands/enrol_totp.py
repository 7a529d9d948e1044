from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import totp_enrol


class Command(BaseCommand):
    help = "Enrol (or replace) a user's authenticator; prints the otpauth URL and backup codes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"no user called {options['username']!r}") from exc
        enrolment = totp_enrol(user=user)
        self.stdout.write(f"Scan or paste into an authenticator app:\n  {enrolment.config_url}")
        self.stdout.write("Single-use backup codes (store them offline):")
        for code in enrolment.backup_codes:
            self.stdout.write(f"  {code}")
