"""Named transitions with clear refusals.

Services call :func:`apply_transition` instead of the transition method directly, so an illegal
move becomes an :class:`IllegalTransition` saying what was attempted, from which state, and what
is possible instead — and every move records who made it and why (django-fsm-log).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django_fsm import can_proceed, has_transition_perm

from core.exceptions import IllegalTransition, PermissionRefused


def _state_label(obj: models.Model, field: str) -> str:
    display = getattr(obj, f"get_{field}_display", None)
    return str(display()) if display else str(getattr(obj, field))


def available_transition_names(obj: models.Model, field: str = "status") -> list[str]:
    getter = getattr(obj, f"get_available_{field}_transitions")
    return sorted({t.name for t in getter()})


def apply_transition(
    obj: models.Model,
    name: str,
    *,
    by: Any,
    reason: str = "",
    field: str = "status",
    check_permission: bool = False,
    **kwargs: Any,
) -> None:
    """Run transition ``name`` on ``obj`` or raise a domain error a person can act on.

    The caller saves ``obj`` inside its own transaction.
    """
    method = getattr(obj, name, None)
    if method is None:
        raise IllegalTransition(f"{obj._meta.verbose_name} has no step called {name!r}")
    label = name.replace("_", " ")
    if not can_proceed(method):
        possible = ", ".join(n.replace("_", " ") for n in available_transition_names(obj, field))
        raise IllegalTransition(
            f"cannot {label} {obj._meta.verbose_name} {obj} while it is "
            f"{_state_label(obj, field)}" + (f"; possible now: {possible}" if possible else "")
        )
    if check_permission and not has_transition_perm(method, by):
        raise PermissionRefused(f"{by} may not {label} {obj._meta.verbose_name} {obj}")
    method(by=by, description=reason or None, **kwargs)
