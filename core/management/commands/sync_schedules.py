from typing import Any

from django.core.management.base import BaseCommand

from core.schedules import sync_schedules


class Command(BaseCommand):
    help = "Create or update the Celery beat jobs every app declares in <app>/schedules.py."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in sync_schedules():
            self.stdout.write(f"scheduled: {name}")
