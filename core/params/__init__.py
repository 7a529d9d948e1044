"""Rules as data. Read with :func:`value` / :func:`snapshot`; change only via maker-checker."""

from core.params.lookup import ParameterSnapshot, history, snapshot, value, version_in_force
from core.params.registry import register_validator

__all__ = [
    "ParameterSnapshot",
    "history",
    "register_validator",
    "snapshot",
    "value",
    "version_in_force",
]
