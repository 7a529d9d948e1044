"""Housekeeping tasks."""

from __future__ import annotations

from celery import shared_task

from core.audit import verify_chain


@shared_task(name="core.verify_audit_chain")
def verify_audit_chain_task() -> dict[str, object]:
    """Nightly integrity check of the audit log; returns the first break, if any."""
    broken = verify_chain()
    if broken is None:
        return {"intact": True}
    return {"intact": False, "event_id": broken.event_id, "reason": broken.reason}
