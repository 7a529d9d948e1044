"""Sanctions and PEP screening: list imports, screening clients, and compliance decisions.

A hit at or above the threshold in force opens a :class:`ScreeningCase`; an open or confirmed
case blocks ``mark_eligible``. Importing a list re-screens every client in a Celery task queued
after the import commits. A case that compliance cleared stays cleared until the listed entry
itself changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import rules
from accounts.enums import (
    LIVE_STATUSES,
    ClientStatus,
    EntitySchema,
    RiskRating,
    ScreeningStatus,
)
from accounts.lock_objects import case_for_update, client_for_update
from accounts.models import (
    Client,
    InstitutionProfile,
    PersonProfile,
    SanctionsEntry,
    SanctionsList,
    ScreeningCase,
    User,
)
from accounts.pii import index_of
from accounts.screening import importers
from accounts.screening.matching import Listed, Party, Settings, is_hit, score
from accounts.screening.names import as_keys, name_keys
from accounts.services.common import require_perm, require_text, today
from core import audit
from core.enums import AuditAction
from core.exceptions import InvalidInput
from core.fsm import apply_transition
from core.transactions import enqueue_on_commit


def screening_settings(on: date) -> Settings:
    snap = rules.screening(on)
    return Settings(
        threshold=snap["name_threshold"],
        dob_bonus=snap["dob_match_bonus"],
        dob_penalty=snap["dob_mismatch_penalty"],
        min_name_score=snap["min_name_score"],
    )


def _parties(client: Client) -> list[tuple[str, Party]]:
    """The client and, for an institution, the people acting for it."""
    person = PersonProfile.objects.filter(client=client).first()
    if person is not None:
        keys = name_keys([person.name, person.name_latin, client.display_name])
        party = Party(keys, person.birth_date, [person.id_number_index])
        return [(EntitySchema.PERSON, party)]
    institution = InstitutionProfile.objects.filter(client=client).first()
    if institution is None:
        return [(EntitySchema.PERSON, Party(name_keys([client.display_name])))]
    parties: list[tuple[str, Party]] = [
        (
            EntitySchema.ORGANIZATION,
            Party(name_keys([institution.name, institution.name_latin, client.display_name])),
        ),
        (
            EntitySchema.PERSON,
            Party(name_keys([institution.legal_rep_name]), None, [institution.id_number_index]),
        ),
    ]
    for trader in institution.traders.filter(active=True):
        parties.append(
            (EntitySchema.PERSON, Party(name_keys([trader.name]), None, [trader.id_number_index]))
        )
    return parties


@dataclass(frozen=True)
class ScreeningResult:
    client_id: int
    hits: int
    opened: int


def _open_case(client: Client, entry: SanctionsEntry, match_score, threshold, evidence) -> bool:
    already = ScreeningCase.objects.filter(
        client=client, entry=entry, entry_hash=entry.content_hash
    ).exists()
    if already:
        return False
    ScreeningCase.objects.create(
        client=client,
        entry=entry,
        entry_hash=entry.content_hash,
        score=match_score,
        threshold=threshold,
        evidence=evidence,
    )
    return True


@transaction.atomic
def client_screen(
    *, client: Client, on: date | None = None, entries: list[SanctionsEntry] | None = None
) -> ScreeningResult:
    """Screen one client against every active list entry; open a case for each new hit."""
    cfg = screening_settings(on or today())
    parties = _parties(client)
    candidates = entries if entries is not None else list(_active_entries())
    hits = opened = 0
    for entry in candidates:
        listed = Listed(as_keys(entry.name_keys), list(entry.birth_dates), list(entry.id_indexes))
        for schema, party in parties:
            if schema != entry.schema:
                continue
            match = score(party, listed, cfg)
            if is_hit(match, cfg):
                hits += 1
                evidence = {**match.evidence, "list": entry.sanctions_list.key}
                opened += _open_case(client, entry, match.score, cfg.threshold, evidence)
                break
    Client.objects.filter(pk=client.pk).update(last_screened_at=timezone.now())
    return ScreeningResult(client.pk, hits, opened)


def _active_entries():
    return SanctionsEntry.objects.filter(active=True).select_related("sanctions_list")


def screening_rescreen_all(*, on: date | None = None) -> dict[str, int]:
    """Every client not closed, against the lists as they are now (one transaction each)."""
    entries = list(_active_entries())
    clients = Client.objects.exclude(status=ClientStatus.CLOSED).order_by("pk")
    screened = opened = 0
    for client in clients.iterator():
        result = client_screen(client=client, on=on, entries=entries)
        screened += 1
        opened += result.opened
    return {"clients": screened, "cases_opened": opened}


def _entry_hash(entry: importers.ParsedEntry) -> str:
    body = json.dumps(asdict(entry), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _upsert(target: SanctionsList, parsed: importers.ParsedEntry) -> str:
    values = {
        "schema": parsed.schema,
        "name": parsed.name,
        "aliases": parsed.aliases,
        "birth_dates": parsed.birth_dates,
        "id_numbers": parsed.id_numbers,
        "id_indexes": [index_of(n) for n in parsed.id_numbers],
        "name_keys": name_keys([parsed.name, *parsed.aliases]),
        "countries": parsed.countries,
        "topics": parsed.topics,
        "content_hash": _entry_hash(parsed),
        "active": True,
    }
    entry = SanctionsEntry.objects.filter(
        sanctions_list=target, external_id=parsed.external_id
    ).first()
    if entry is None:
        SanctionsEntry.objects.create(
            sanctions_list=target, external_id=parsed.external_id, **values
        )
        return "added"
    if entry.content_hash == values["content_hash"] and entry.active:
        return "unchanged"
    for key, value in values.items():
        setattr(entry, key, value)
    entry.save()
    return "updated"


@transaction.atomic
def sanctions_list_import(
    *, key: str, name: str, fmt: str, content: bytes, by: User | None, is_pep: bool = False
) -> dict[str, int]:
    """Replace a list's entries from a file, then re-screen every client after commit."""
    if by is not None:
        require_perm(by, "accounts.import_sanctionslist", "import sanctions lists")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("file: the list must be UTF-8 text", field="file") from exc
    parsed = importers.parse(fmt, text)
    target, _ = SanctionsList.objects.select_for_update().get_or_create(
        key=require_text(key, "key", "a list key"),
        defaults={"name": require_text(name, "name", "a list name"), "is_pep": is_pep},
    )
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for entry in parsed.entries:
        counts[_upsert(target, entry)] += 1
    seen = [e.external_id for e in parsed.entries]
    counts["removed"] = (
        target.entries.filter(active=True).exclude(external_id__in=seen).update(active=False)
    )
    counts["skipped"] = parsed.skipped
    target.last_format = fmt
    target.last_imported_at = timezone.now()
    target.last_file_sha256 = hashlib.sha256(content).hexdigest()
    target.import_count += 1
    target.save()
    from accounts.tasks import rescreen_all_clients

    enqueue_on_commit(rescreen_all_clients, target.pk)
    return counts


def _decide(case: ScreeningCase, *, by: User, reason: str, step: str) -> ScreeningCase:
    require_perm(by, "accounts.decide_screeningcase", "decide screening cases")
    text = require_text(reason, "reason", "a reason for the decision")
    locked = case_for_update(case)
    apply_transition(locked, step, by=by, reason=text)
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_reason = text
    locked.save()
    return locked


@transaction.atomic
def screening_case_clear(*, case: ScreeningCase, by: User, reason: str) -> ScreeningCase:
    """Not the listed party; a client waiting only for this moves on to eligible."""
    locked = _decide(case, by=by, reason=reason, step="clear")
    audit.record(action=AuditAction.APPROVAL, actor=by, obj=locked, details={"cleared": True})
    from accounts.services.suitability import client_try_eligible

    client_try_eligible(client=locked.client, by=by)
    return locked


@transaction.atomic
def screening_case_confirm(*, case: ScreeningCase, by: User, reason: str) -> ScreeningCase:
    """The listed party: the client is suspended and rated high risk."""
    locked = _decide(case, by=by, reason=reason, step="confirm")
    audit.record(action=AuditAction.REJECTION, actor=by, obj=locked, details={"confirmed": True})
    client = client_for_update(locked.client_id)
    client.risk_rating = RiskRating.HIGH
    if client.status in LIVE_STATUSES:
        apply_transition(
            client, "suspend", by=by, reason=f"confirmed screening match: {locked.entry.name}"
        )
    client.save()
    return locked


def blocking_cases(client: Client) -> list[ScreeningCase]:
    return list(
        ScreeningCase.objects.filter(
            client=client, status__in=[ScreeningStatus.OPEN, ScreeningStatus.CONFIRMED]
        ).select_related("entry")
    )
