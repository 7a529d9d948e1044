"""Request context for audit records, and an audit row for every refused request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core import audit, context
from core.enums import AuditAction, AuditOutcome


class AuditRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.set_request(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                audit.record(
                    action=AuditAction.PERMISSION_DENIED,
                    actor=getattr(request, "user", None),
                    outcome=AuditOutcome.DENIED,
                    details={"path": request.path[:300], "method": request.method},
                )
            return response
        finally:
            context.reset_request(token)
