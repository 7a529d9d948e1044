"""Read sanctions / PEP lists: a plain CSV, or OpenSanctions FollowTheMoney JSON lines.

Every row is checked first; the first bad row is reported with its line number and nothing
from that file is used. Parsing only: storing and re-screening are services.

CSV columns (header row required): ``id,name`` and optionally ``schema`` (Person /
Organization), ``aliases``, ``birth_dates``, ``id_numbers``, ``countries``, ``topics`` — several
values in one cell are separated by ``;``.

FollowTheMoney: one entity per line, ``{"id", "schema", "properties": {"name": [...],
"alias": [...], "birthDate": [...], "idNumber": [...], ...}}``. Persons and organisations
(Company, LegalEntity, PublicBody count as organisations) are read; other schemata, such as the
Sanction records that accompany them, are skipped.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accounts.enums import EntitySchema, ListFormat
from core.exceptions import InvalidInput

ORG_SCHEMATA = {"Organization", "Company", "LegalEntity", "PublicBody"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_NAME = 300


@dataclass
class ParsedEntry:
    external_id: str
    schema: str
    name: str
    aliases: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    id_numbers: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


@dataclass
class ParsedList:
    entries: list[ParsedEntry]
    skipped: int = 0


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _check_entry(entry: ParsedEntry, line: int) -> ParsedEntry:
    if not entry.external_id:
        raise InvalidInput(f"line {line}: every entry needs an id", field="file")
    if not entry.name or len(entry.name) > MAX_NAME:
        raise InvalidInput(
            f"line {line}: entry {entry.external_id!r} needs a name of 1–{MAX_NAME} characters",
            field="file",
        )
    for value in entry.birth_dates:
        if not _DATE.match(value):
            raise InvalidInput(
                f"line {line}: birth date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                field="file",
            )
    return entry


def _schema(raw: str, line: int) -> str:
    raw = (raw or EntitySchema.PERSON).strip()
    if raw == EntitySchema.PERSON:
        return EntitySchema.PERSON
    if raw in ORG_SCHEMATA:
        return EntitySchema.ORGANIZATION
    raise InvalidInput(
        f"line {line}: schema {raw!r} is neither Person nor an organisation", field="file"
    )


def parse_csv(lines: Iterable[str]) -> ParsedList:
    reader = csv.DictReader(lines)
    missing = {"id", "name"} - set(reader.fieldnames or [])
    if missing:
        raise InvalidInput(
            f"line 1: the header needs the columns {', '.join(sorted(missing))}", field="file"
        )
    entries = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        entry = ParsedEntry(
            external_id=(row.get("id") or "").strip(),
            schema=_schema(row.get("schema") or "", line),
            name=(row.get("name") or "").strip(),
            aliases=_split(row.get("aliases")),
            birth_dates=_split(row.get("birth_dates")),
            id_numbers=_split(row.get("id_numbers")),
            countries=_split(row.get("countries")),
            topics=_split(row.get("topics")),
        )
        _check_entry(entry, line)
        if entry.external_id in seen:
            raise InvalidInput(f"line {line}: id {entry.external_id!r} repeats", field="file")
        seen.add(entry.external_id)
        entries.append(entry)
    return ParsedList(entries)


def _strings(props: dict[str, Any], *keys: str) -> list[str]:
    found: list[str] = []
    for key in keys:
        values = props.get(key) or []
        if isinstance(values, str):
            values = [values]
        found.extend(str(v).strip() for v in values if str(v).strip())
    return list(dict.fromkeys(found))


def _ftm_entity(data: dict[str, Any], line: int) -> ParsedEntry | None:
    schema = data.get("schema")
    if schema != EntitySchema.PERSON and schema not in ORG_SCHEMATA:
        return None
    props = data.get("properties") or {}
    if not isinstance(props, dict):
        raise InvalidInput(f"line {line}: properties must be an object", field="file")
    names = _strings(props, "name")
    if not names:
        names = [" ".join(_strings(props, "firstName", "lastName"))]
    entry = ParsedEntry(
        external_id=str(data.get("id") or "").strip(),
        schema=_schema(str(schema), line),
        name=names[0].strip(),
        aliases=[n for n in _strings(props, "name", "alias", "weakAlias") if n != names[0]],
        birth_dates=[d[:10] for d in _strings(props, "birthDate")],
        id_numbers=_strings(props, "idNumber", "passportNumber", "registrationNumber"),
        countries=_strings(props, "nationality", "country", "citizenship"),
        topics=_strings(props, "topics"),
    )
    return _check_entry(entry, line)


def parse_ftm(lines: Iterable[str]) -> ParsedList:
    entries: list[ParsedEntry] = []
    skipped = 0
    seen: set[str] = set()
    for line, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"line {line}: not JSON ({exc.msg})", field="file") from exc
        if not isinstance(data, dict):
            raise InvalidInput(f"line {line}: each line must be one JSON object", field="file")
        entry = _ftm_entity(data, line)
        if entry is None:
            skipped += 1
            continue
        if entry.external_id in seen:
            raise InvalidInput(f"line {line}: id {entry.external_id!r} repeats", field="file")
        seen.add(entry.external_id)
        entries.append(entry)
    return ParsedList(entries, skipped)


def parse(fmt: str, text: str) -> ParsedList:
    if fmt == ListFormat.CSV:
        parsed = parse_csv(text.splitlines())
    elif fmt == ListFormat.FTM:
        parsed = parse_ftm(text.splitlines())
    else:
        raise InvalidInput(f"format {fmt!r}: choose csv or ftm", field="format")
    if not parsed.entries:
        raise InvalidInput("the file holds no persons or organisations", field="file")
    return parsed
