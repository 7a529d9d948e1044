"""The request being served, for audit records made deep inside services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user: Any
    user_agent: str


_current: ContextVar[RequestContext | None] = ContextVar("fulcrum_request", default=None)


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is trusted only when a proxy sets it (production
    # deployments configure that at the proxy, not here).
    return request.META.get("REMOTE_ADDR") or None


def set_request(request: HttpRequest) -> Any:
    ctx = RequestContext(
        ip=client_ip(request),
        user=getattr(request, "user", None),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
    return _current.set(ctx)


def reset_request(token: Any) -> None:
    _current.reset(token)


def current() -> RequestContext | None:
    return _current.get()
