"""Domain errors: raised by services, shown to people as they are.

Each message names what was refused and why, so the portal, the admin, the API and management
commands can pass it on without translation into something vaguer.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base for every refusal of a business rule."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        return data


class InvalidInput(DomainError):
    """Input that breaks a format or business rule (an ID number, an amount, a file)."""

    code = "invalid_input"


class IllegalTransition(DomainError):
    """A state change the lifecycle does not allow from the current state."""

    code = "illegal_transition"


class SegregationOfDutiesError(DomainError):
    """The same person tried to both request and approve."""

    code = "segregation_of_duties"


class PermissionRefused(DomainError):
    """The actor lacks the role this action needs."""

    code = "permission_refused"


class IdempotencyConflict(DomainError):
    """An idempotency key was reused with a different request body."""

    code = "idempotency_conflict"


class ParameterMissing(DomainError):
    """No approved parameter value is in force for the date asked."""

    code = "parameter_missing"
