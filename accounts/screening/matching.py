"""Scoring a client against a listed party: names, then dates of birth and ID numbers.

* names: Hanzi against Hanzi by characters; otherwise pinyin syllables (every spelling and
  order of the Latin form); otherwise, for names that are not pinyin, rapidfuzz's token-sorted
  and space-free letter similarity. The best pair of names counts.
* an ID number found on the list that equals the client's is a hit whatever the names say.
* a date of birth that agrees (to the precision the list gives) adds a bonus; one that differs
  takes a penalty; neither moves a name below ``min_name_score`` over the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from accounts.screening.names import NameKey, combos

ONE = Decimal("1")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Party:
    """What is compared on the client's side."""

    keys: list[NameKey]
    birth_date: date | None = None
    id_indexes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Listed:
    keys: list[NameKey]
    birth_dates: list[str]
    id_indexes: list[str]


@dataclass(frozen=True)
class Settings:
    threshold: Decimal
    dob_bonus: Decimal
    dob_penalty: Decimal
    min_name_score: Decimal


@dataclass(frozen=True)
class Match:
    score: Decimal
    name_score: Decimal
    evidence: dict[str, Any]


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


def name_similarity(a: NameKey, b: NameKey) -> tuple[Decimal, str]:
    if a["hanzi"] and b["hanzi"]:
        return _dec(Levenshtein.normalized_similarity(a["hanzi"], b["hanzi"])), "hanzi"
    if a["syllables"] and b["syllables"]:
        best = max(
            1.0 if "".join(x) == "".join(y) else Levenshtein.normalized_similarity(x, y)
            for x, y in combos(a, b)
        )
        return _dec(best), "pinyin syllables"
    letters = max(
        fuzz.token_sort_ratio(a["latin"], b["latin"]),
        fuzz.ratio(a["latin"].replace(" ", ""), b["latin"].replace(" ", "")),
    )
    return _dec(letters / 100), "letters"


def best_name(party: Party, listed: Listed) -> tuple[Decimal, dict[str, str]]:
    best = ZERO
    why: dict[str, str] = {}
    for ours in party.keys:
        for theirs in listed.keys:
            score, method = name_similarity(ours, theirs)
            if score > best:
                best = score
                why = {"client_name": ours["text"], "listed_name": theirs["text"], "by": method}
    return best, why


def _dob_agrees(ours: date, theirs: str) -> bool:
    return ours.isoformat().startswith(theirs.strip()[:10])


def score(party: Party, listed: Listed, cfg: Settings) -> Match:
    name_score, why = best_name(party, listed)
    evidence: dict[str, Any] = {**why, "name_score": str(name_score)}
    shared_ids = set(party.id_indexes) & set(listed.id_indexes)
    if shared_ids:
        evidence["id_number"] = "the client's ID number is on the list"
        return Match(ONE, name_score, evidence)
    total = name_score
    if party.birth_date and listed.birth_dates:
        if any(_dob_agrees(party.birth_date, d) for d in listed.birth_dates):
            evidence["birth_date"] = "agrees"
            if name_score >= cfg.min_name_score:
                total = min(ONE, name_score + cfg.dob_bonus)
        else:
            evidence["birth_date"] = "differs"
            total = max(ZERO, name_score - cfg.dob_penalty)
    evidence["score"] = str(total)
    return Match(total, name_score, evidence)


def is_hit(match: Match, cfg: Settings) -> bool:
    return match.score >= cfg.threshold
