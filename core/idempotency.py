"""Idempotency keys for every request that moves money or state.

The same key with the same body returns the first result; the same key with a different body is
refused. The record is written in the caller's transaction, so a rolled-back attempt leaves no
record and may be retried with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction

from core.exceptions import IdempotencyConflict, InvalidInput
from core.models import IdempotencyRecord

T = TypeVar("T")


def request_fingerprint(payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def run_once(
    *,
    scope: str,
    key: str,
    payload: dict[str, Any],
    action: Callable[[], dict[str, Any]],
    actor: Any = None,
) -> tuple[dict[str, Any], bool]:
    """Run ``action`` once per ``(scope, key)``; return ``(result, replayed)``.

    ``action`` returns a JSON-serialisable result that is stored and replayed verbatim.
    """
    if not key or len(key) > 128:
        raise InvalidInput("an idempotency key of 1–128 characters is required", field="key")
    fingerprint = request_fingerprint(payload)
    with transaction.atomic():
        existing = IdempotencyRecord.objects.select_for_update().filter(scope=scope, key=key)
        record = existing.first()
        if record is not None:
            return _replay(record, fingerprint), True
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    request_hash=fingerprint,
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            # A concurrent request with the same key won the insert; it holds the row lock
            # until it commits, after which its stored result is the answer.
            record = IdempotencyRecord.objects.select_for_update().get(scope=scope, key=key)
            return _replay(record, fingerprint), True
        result = action()
        record.response = json.loads(json.dumps(result, default=str))
        record.save(update_fields=["response"])
        return record.response, False


def _replay(record: IdempotencyRecord, fingerprint: str) -> dict[str, Any]:
    if record.request_hash != fingerprint:
        raise IdempotencyConflict(
            "this idempotency key was already used for a different request; "
            "use a new key for a new request"
        )
    return dict(record.response or {})
