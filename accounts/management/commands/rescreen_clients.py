from typing import Any

from django.core.management.base import BaseCommand

from accounts.services import screening_rescreen_all


class Command(BaseCommand):
    help = "Screen every client who is not closed against the lists as they are now."

    def handle(self, *args: Any, **options: Any) -> None:
        result = screening_rescreen_all()
        self.stdout.write(
            f"{result['clients']} clients screened, {result['cases_opened']} new cases"
        )
