"""Seed the demo firm, app by app in workflow order; safe to run again."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.roles import FULCRUM_APPS, sync_roles
from core.demo import DemoContext
from core.schedules import sync_schedules


class Command(BaseCommand):
    help = "Create (or reuse) the demo firm: staff with TOTP, market data and a realistic book."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="do not print credentials")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.FULCRUM_DEMO_TOOLS:
            raise CommandError("demo seeding is disabled here (FULCRUM_DEMO_TOOLS is off)")
        sync_roles()
        sync_schedules()
        ctx = DemoContext(today=timezone.localdate(), log=self.stdout.write)
        for label in FULCRUM_APPS:
            if find_spec(f"{label}.demo") is None:
                continue
            module = import_module(f"{label}.demo")
            if hasattr(module, "seed"):
                module.seed(ctx)
        if not options["quiet"]:
            self._print_access(ctx)

    def _print_access(self, ctx: DemoContext) -> None:
        site = settings.FULCRUM_SITE_URL
        out = self.stdout.write
        out("")
        out("=" * 78)
        out(f"Operations console: {site}/console/   Client portal: {site}/")
        out("Every sign-in needs a password and the current 6-digit TOTP code.")
        out("Get a code now:   .venv/bin/python manage.py totp <username>")
        out("or add the otpauth URL below to any authenticator app.")
        out("-" * 78)
        for username, password, url in ctx.credentials:
            out(f"{username:<14} password: {password}")
            out(f"{'':<14} {url}")
        for note in ctx.notes:
            out(note)
        out("=" * 78)
