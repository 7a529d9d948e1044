"""Append to and verify the hash-chained security audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from core import context
from core.enums import AuditOutcome
from core.models import AuditChainHead, AuditEvent
from core.redaction import redact

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> str:
    payload = {
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor_repr,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object": event.object_repr,
        "outcome": event.outcome,
        "source_ip": event.source_ip,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event).encode()).hexdigest()


def _json_safe(details: dict[str, Any]) -> dict[str, Any]:
    # Stored as JSON and hashed from what the database gives back: make both agree up front.
    result: dict[str, Any] = json.loads(json.dumps(details, default=str))
    return result


def _describe(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:200]


def _actor_repr(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return str(actor.get_username())[:150]


def record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    details: dict[str, Any] | None = None,
    actor_repr: str | None = None,
    source_ip: str | None = None,
) -> AuditEvent:
    """Append one event. Details are redacted; the chain head is locked while appending."""
    ctx = context.current()
    if actor is None and ctx is not None and getattr(ctx.user, "is_authenticated", False):
        actor = ctx.user
    object_type, object_id, object_repr = _describe(obj)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_repr=actor_repr if actor_repr is not None else _actor_repr(actor),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=redact(object_repr),
            outcome=outcome,
            source_ip=source_ip or (ctx.ip if ctx else None),
            details=_json_safe(redact(details or {})),
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save()
        head.last_hash = event.hash
        head.last_event_id = event.pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def _iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].pk


def verify_chain() -> ChainBreak | None:
    """Walk the log in order; return the first row whose hash or link does not hold."""
    expected_prev = GENESIS_HASH
    last_seen = None
    for event in _iter_events():
        if event.prev_hash != expected_prev:
            return ChainBreak(event.pk, "its link to the previous row does not match")
        if compute_hash(event) != event.hash:
            return ChainBreak(event.pk, "its contents do not match its hash")
        expected_prev = event.hash
        last_seen = event
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and last_seen is not None and head.last_hash != last_seen.hash:
        return ChainBreak(
            last_seen.pk, f"rows after it (up to id {head.last_event_id}) were deleted"
        )
    return None
