"""Writes: define parameter sets, seed published history, and the maker-checker change flow."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.enums import AuditAction, ParameterSource, ParameterStatus
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.models import ParameterSet, ParameterVersion
from core.params.registry import run_validators
from core.params.schema import decode_values, encode_values
from core.sod import ensure_different_people


def parameter_set_define(
    *, key: str, name: str, schema: dict[str, Any], category: str, description: str = ""
) -> ParameterSet:
    """Create or update a set's definition (used by migrations and seeds; idempotent)."""
    parameter_set, _ = ParameterSet.objects.update_or_create(
        key=key,
        defaults={
            "name": name,
            "schema": schema,
            "category": category,
            "description": description,
        },
    )
    return parameter_set


def parameter_seed_history(
    *, parameter_set: ParameterSet, versions: list[tuple[date, dict[str, Any], str]]
) -> None:
    """Load published (regulatory) history as approved seed versions; reruns change nothing.

    Each entry is ``(effective_from, values, citation)``; values are complete snapshots.
    """
    for effective_from, values, citation in versions:
        typed = decode_values(parameter_set.schema, values)
        ParameterVersion.objects.get_or_create(
            parameter_set=parameter_set,
            effective_from=effective_from,
            status=ParameterStatus.APPROVED,
            defaults={
                "values": encode_values(parameter_set.schema, typed),
                "source": ParameterSource.SEED,
                "reason": citation,
                "decided_at": timezone.now(),
            },
        )


def _require_perm(actor: Any, perm: str, what: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionRefused(f"{actor} may not {what}")


@transaction.atomic
def parameter_change_propose(
    *,
    parameter_set: ParameterSet,
    effective_from: date,
    values: dict[str, Any],
    maker: Any,
    reason: str,
) -> ParameterVersion:
    """Propose a complete new version; it has no effect until someone else approves it."""
    _require_perm(maker, "core.propose_parameterversion", "propose parameter changes")
    if not reason.strip():
        raise InvalidInput("a reason is required for every rule change", field="reason")
    if effective_from < timezone.localdate():
        raise InvalidInput(
            f"effective date {effective_from} is in the past; rules cannot change history",
            field="effective_from",
        )
    typed = decode_values(parameter_set.schema, values)
    run_validators(parameter_set.key, typed, effective_from)
    version = ParameterVersion.objects.create(
        parameter_set=parameter_set,
        effective_from=effective_from,
        values=encode_values(parameter_set.schema, typed),
        status=ParameterStatus.PROPOSED,
        source=ParameterSource.CHANGE,
        reason=reason.strip(),
        maker=maker,
    )
    audit.record(
        action=AuditAction.PROPOSAL,
        actor=maker,
        obj=version,
        details={"set": parameter_set.key, "effective_from": effective_from.isoformat()},
    )
    return version


def _lock_proposed(version: ParameterVersion) -> ParameterVersion:
    locked = (
        ParameterVersion.objects.select_for_update()
        .select_related("parameter_set")
        .get(pk=version.pk)
    )
    if locked.status != ParameterStatus.PROPOSED:
        raise IllegalTransition(
            f"this change is already {locked.get_status_display().lower()}; only proposed "
            "changes can be decided"
        )
    return locked


@transaction.atomic
def parameter_change_approve(
    *, version: ParameterVersion, checker: Any, note: str = ""
) -> ParameterVersion:
    """Approve a proposed version: a different person, before the date it takes effect."""
    _require_perm(checker, "core.approve_parameterversion", "approve parameter changes")
    locked = _lock_proposed(version)
    ensure_different_people(requester=locked.maker, approver=checker, what="a rule change")
    if locked.effective_from < timezone.localdate():
        raise InvalidInput(
            f"this change was to take effect on {locked.effective_from}, which has passed; "
            "propose it again with a future date",
            field="effective_from",
        )
    clash = ParameterVersion.objects.filter(
        parameter_set=locked.parameter_set,
        effective_from=locked.effective_from,
        status=ParameterStatus.APPROVED,
    ).exists()
    if clash:
        raise InvalidInput(
            f"an approved version already takes effect on {locked.effective_from}; "
            "propose a different date",
            field="effective_from",
        )
    # Validators run again: the regulation in force may have changed since the proposal.
    run_validators(locked.parameter_set.key, locked.typed_values(), locked.effective_from)
    locked.status = ParameterStatus.APPROVED
    locked.checker = checker
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "checker", "decided_at", "decision_note"])
    audit.record(action=AuditAction.APPROVAL, actor=checker, obj=locked)
    return locked


@transaction.atomic
def parameter_change_reject(
    *, version: ParameterVersion, checker: Any, note: str
) -> ParameterVersion:
    _require_perm(checker, "core.approve_parameterversion", "reject parameter changes")
    if not note.strip():
        raise InvalidInput("say why the change is rejected", field="note")
    locked = _lock_proposed(version)
    ensure_different_people(requester=locked.maker, approver=checker, what="a rule change")
    locked.status = ParameterStatus.REJECTED
    locked.checker = checker
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "checker", "decided_at", "decision_note"])
    audit.record(action=AuditAction.REJECTION, actor=checker, obj=locked)
    return locked
