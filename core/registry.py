"""The Fulcrum apps in workflow order, and discovery of the modules each app may declare.

Apps declare things by convention rather than by import (which would point the wrong way):
``<app>/roles.py`` (ROLE_GRANTS), ``<app>/schedules.py`` (SCHEDULES), ``<app>/demo.py`` (seed),
``<app>/api/urls.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

FULCRUM_APPS = [
    "core",
    "markets",
    "accounts",
    "credit",
    "contracts",
    "custody",
    "risk",
    "settlement",
    "reports",
    "portal",
]


def app_modules(name: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield ``(app_label, module)`` for every app that has ``<app>.<name>``, in order."""
    for label in FULCRUM_APPS:
        dotted = f"{label}.{name}"
        try:
            spec = find_spec(dotted)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            yield label, import_module(dotted)
