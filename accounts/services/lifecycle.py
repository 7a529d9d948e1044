"""Holds and endings: suspend, resume, close — each with a reason, each logged."""

from __future__ import annotations

from django.db import transaction

from accounts.enums import ScreeningStatus
from accounts.lock_objects import client_for_update
from accounts.models import Client, User
from accounts.services.common import require_perm, require_text
from core import audit
from core.enums import AuditAction
from core.exceptions import IllegalTransition
from core.fsm import apply_transition


@transaction.atomic
def client_suspend(*, client: Client, by: User, reason: str) -> Client:
    require_perm(by, "accounts.decide_onboarding", "suspend clients")
    locked = client_for_update(client)
    apply_transition(locked, "suspend", by=by, reason=require_text(reason, "reason", "a reason"))
    locked.save()
    audit.record(action=AuditAction.TRANSITION, actor=by, obj=locked, details={"to": "suspended"})
    return locked


@transaction.atomic
def client_resume(*, client: Client, by: User, reason: str) -> Client:
    require_perm(by, "accounts.decide_onboarding", "resume clients")
    locked = client_for_update(client)
    if locked.screening_cases.filter(status=ScreeningStatus.CONFIRMED).exists():
        raise IllegalTransition(
            f"client {locked} matches a sanctions / PEP list (confirmed case) and stays suspended"
        )
    apply_transition(locked, "resume", by=by, reason=require_text(reason, "reason", "a reason"))
    locked.save()
    audit.record(action=AuditAction.TRANSITION, actor=by, obj=locked, details={"to": "resumed"})
    return locked


@transaction.atomic
def client_close(*, client: Client, by: User, reason: str) -> Client:
    require_perm(by, "accounts.decide_onboarding", "close clients")
    locked = client_for_update(client)
    apply_transition(locked, "close", by=by, reason=require_text(reason, "reason", "a reason"))
    locked.save()
    audit.record(action=AuditAction.TRANSITION, actor=by, obj=locked, details={"to": "closed"})
    return locked
