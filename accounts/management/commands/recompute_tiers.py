from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.services import tiers_recompute_all


class Command(BaseCommand):
    help = "Recompute every client's tier from the client-tiers rules in force today."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = tiers_recompute_all(on=timezone.localdate())
        self.stdout.write(f"{changed} clients changed tier")
