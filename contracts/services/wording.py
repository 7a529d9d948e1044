"""Writes for contract wording: propose, approve (a second person) or reject versions.

Every proposal is checked before anyone is asked to approve it: the wording must parse, read
only contract variables, include every clause its document needs, and render against sample
terms of both shapes (arbitration with every optional term, court with none).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from contracts.enums import REQUIRED_CLAUSES, ClauseCode, DocumentKind, VersionStatus
from contracts.models import Clause, ClauseVersion, ContractTemplate, TemplateVersion
from contracts.rendering import (
    DocumentSource,
    check_wording,
    clause_codes_used,
    render_body,
    render_fragment,
)
from contracts.samples import SAMPLE_META, sample_variants
from contracts.selectors import approved_clause_versions
from core import audit
from core.enums import AuditAction
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.sod import ensure_different_people

# Styles may not fetch anything (no url(), no @import): a PDF renders from its stored text alone.
_CSS_FETCH = re.compile(r"url\s*\(|@import", re.IGNORECASE)


def _require_perm(actor: Any, perm: str, what: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionRefused(f"{actor} may not {what}")


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput("say why the wording changes", field="reason")
    return reason.strip()


def _validate_template(version: TemplateVersion) -> list[str]:
    what = version.describe()
    if not version.title.strip():
        raise InvalidInput(f"{what}: a title is required", field="title")
    if _CSS_FETCH.search(version.stylesheet):
        raise InvalidInput(
            f"{what}: the stylesheet may not load anything (url() or @import)", field="stylesheet"
        )
    names = check_wording(version.body, what=what)
    codes = clause_codes_used(version.body, what=what)
    kind = version.template.kind
    missing = [c for c in REQUIRED_CLAUSES[kind] if c not in codes]
    if missing:
        raise InvalidInput(
            f"{what} must include the clause '{missing[0]}' ({ClauseCode(missing[0]).label}); "
            f"every {DocumentKind(kind).label.lower()} includes "
            f"{', '.join(REQUIRED_CLAUSES[kind])}",
            field="body",
        )
    clauses = approved_clause_versions(language=version.template.language, codes=codes)
    for terms in sample_variants():
        context = {**terms.context(version.template.language), **SAMPLE_META}
        render_body(DocumentSource(version, clauses), context)
    return names


def _validate_clause(version: ClauseVersion) -> list[str]:
    what = version.describe()
    if not version.title.strip():
        raise InvalidInput(f"{what}: a title is required", field="title")
    names = check_wording(version.body, what=what)
    if clause_codes_used(version.body, what=what):
        raise InvalidInput(f"{what}: a clause may not include other clauses", field="body")
    for terms in sample_variants():
        context = {**terms.context(version.clause.language), **SAMPLE_META}
        render_fragment(version.body, context, what=what)
    return names


def _next_number(model: type[models.Model], **parent: Any) -> int:
    top = model._default_manager.filter(**parent).aggregate(top=Max("number"))["top"]
    return int(top or 0) + 1


@transaction.atomic
def template_version_propose(
    *, template: ContractTemplate, title: str, body: str, stylesheet: str, maker: Any, reason: str
) -> TemplateVersion:
    """A new wording of a document; it changes nothing until someone else approves it."""
    _require_perm(maker, "contracts.propose_templateversion", "propose contract wording")
    locked = ContractTemplate.objects.select_for_update().get(pk=template.pk)
    version = TemplateVersion(
        template=locked,
        number=_next_number(TemplateVersion, template=locked),
        title=title.strip(),
        body=body,
        stylesheet=stylesheet,
        reason=_require_reason(reason),
        maker=maker,
    )
    version.variables = _validate_template(version)
    version.save()
    audit.record(action=AuditAction.PROPOSAL, actor=maker, obj=version)
    return version


@transaction.atomic
def clause_version_propose(
    *, clause: Clause, title: str, body: str, maker: Any, reason: str
) -> ClauseVersion:
    _require_perm(maker, "contracts.propose_clauseversion", "propose clause wording")
    locked = Clause.objects.select_for_update().get(pk=clause.pk)
    version = ClauseVersion(
        clause=locked,
        number=_next_number(ClauseVersion, clause=locked),
        title=title.strip(),
        body=body,
        reason=_require_reason(reason),
        maker=maker,
    )
    version.variables = _validate_clause(version)
    version.save()
    audit.record(action=AuditAction.PROPOSAL, actor=maker, obj=version)
    return version


def _lock_proposed(model: type[TemplateVersion] | type[ClauseVersion], pk: int) -> Any:
    locked = model.objects.select_for_update().get(pk=pk)
    if locked.status != VersionStatus.PROPOSED:
        raise IllegalTransition(
            f"{locked.describe()} is already {locked.get_status_display().lower()}; only "
            "proposed wording can be decided"
        )
    return locked


def _approve(locked: Any, siblings: Any, *, checker: Any, note: str) -> None:
    # The one approved version before it retires first: at most one is approved at any time.
    for previous in siblings.select_for_update().filter(status=VersionStatus.APPROVED):
        previous.status = VersionStatus.RETIRED
        previous.save(update_fields=["status"])
    locked.status = VersionStatus.APPROVED
    locked.checker = checker
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "checker", "decided_at", "decision_note"])
    audit.record(action=AuditAction.APPROVAL, actor=checker, obj=locked)


def _reject(locked: Any, *, checker: Any, note: str) -> None:
    if not note.strip():
        raise InvalidInput("say why the wording is rejected", field="note")
    locked.status = VersionStatus.REJECTED
    locked.checker = checker
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "checker", "decided_at", "decision_note"])
    audit.record(action=AuditAction.REJECTION, actor=checker, obj=locked, details={"note": note})


@transaction.atomic
def template_version_approve(
    *, version: TemplateVersion, checker: Any, note: str = ""
) -> TemplateVersion:
    """Put wording into use for new contracts; the version it replaces retires."""
    _require_perm(checker, "contracts.approve_templateversion", "approve contract wording")
    locked = _lock_proposed(TemplateVersion, version.pk)
    ensure_different_people(requester=locked.maker, approver=checker, what=locked.describe())
    # Checked again: the clause library may have changed since the proposal.
    _validate_template(locked)
    siblings = TemplateVersion.objects.filter(template_id=locked.template_id).exclude(pk=locked.pk)
    _approve(locked, siblings, checker=checker, note=note)
    return locked


@transaction.atomic
def template_version_reject(
    *, version: TemplateVersion, checker: Any, note: str
) -> TemplateVersion:
    _require_perm(checker, "contracts.approve_templateversion", "reject contract wording")
    locked = _lock_proposed(TemplateVersion, version.pk)
    ensure_different_people(requester=locked.maker, approver=checker, what=locked.describe())
    _reject(locked, checker=checker, note=note)
    return locked


@transaction.atomic
def clause_version_approve(
    *, version: ClauseVersion, checker: Any, note: str = ""
) -> ClauseVersion:
    _require_perm(checker, "contracts.approve_clauseversion", "approve clause wording")
    locked = _lock_proposed(ClauseVersion, version.pk)
    ensure_different_people(requester=locked.maker, approver=checker, what=locked.describe())
    _validate_clause(locked)
    siblings = ClauseVersion.objects.filter(clause_id=locked.clause_id).exclude(pk=locked.pk)
    _approve(locked, siblings, checker=checker, note=note)
    return locked


@transaction.atomic
def clause_version_reject(*, version: ClauseVersion, checker: Any, note: str) -> ClauseVersion:
    _require_perm(checker, "contracts.approve_clauseversion", "reject clause wording")
    locked = _lock_proposed(ClauseVersion, version.pk)
    ensure_different_people(requester=locked.maker, approver=checker, what=locked.describe())
    _reject(locked, checker=checker, note=note)
    return locked
