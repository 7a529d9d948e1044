"""Side effects after commit: emails, webhooks, PDF renders and tasks never run for a rollback."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue a Celery task with ``delay`` once the current transaction commits."""
    transaction.on_commit(partial(task.delay, *args, **kwargs))


def call_on_commit(func: Any, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(partial(func, *args, **kwargs))
