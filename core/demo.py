"""The demo's shared context: who the staff are and which day the book is seeded for.

``manage.py demo_seed`` builds one :class:`DemoContext` and hands it to each app's
``<app>/demo.py:seed(ctx)`` in workflow order. Every seed function must be idempotent: a second
run finds its rows and reuses them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class DemoContext:
    today: date
    staff: dict[str, Any] = field(default_factory=dict)
    credentials: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    log: Callable[[str], None] = print  # noqa: T202  (replaced by the command's stdout)

    def person(self, username: str) -> Any:
        return self.staff[username]
