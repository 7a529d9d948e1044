"""People resolve the breaks the reconciliation found."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.enums import AuditAction
from core.exceptions import InvalidInput
from core.fsm import apply_transition
from settlement.models import ClearingBreak


@transaction.atomic
def clearing_break_resolve(*, break_: ClearingBreak, by: Any, note: str) -> ClearingBreak:
    if not note.strip():
        raise InvalidInput("say what was found and done to resolve the break", field="note")
    locked = ClearingBreak.objects.select_for_update().get(pk=break_.pk)
    apply_transition(locked, "resolve", by=by, reason=note.strip())
    locked.resolution_note = note.strip()
    locked.resolved_by = by
    locked.resolved_at = timezone.now()
    locked.save()
    audit.record(action=AuditAction.TRANSITION, actor=by, obj=locked, details={"note": note[:200]})
    return locked
