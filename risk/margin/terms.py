"""Which package terms govern each margin account, resolved for many accounts in a few queries.

The rules are :func:`custody.credit_terms.account_package`'s (the package named in the signed
contract, else the line's only package, else the one with the lowest usable leverage), applied
to the whole book at once. The line read is the client's live one (pending, active, suspended);
when there is none — the line expired or closed while money is still owed — the most recently
approved line still says which terms the client agreed to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache

from contracts.enums import ContractStatus
from contracts.models import Contract
from core.exceptions import ParameterMissing
from credit.enums import LIVE_LINE_STATUSES
from credit.keys import PACKAGE_PREFIX
from credit.models import CreditLine
from credit.rules import PackageTerms, effective_max_financing_ratio, package_terms
from custody.credit_terms import SUBJECT_CREDIT_LINE


def _lines_by_client(client_ids: list[int] | None) -> dict[int, int]:
    """client id → the line whose terms apply (live first, else the latest approved)."""
    rows = CreditLine.objects.all()
    if client_ids is not None:
        rows = rows.filter(client_id__in=client_ids)
    chosen: dict[int, tuple[bool, object, int]] = {}
    for line_id, client_id, status, approved_at in rows.values_list(
        "pk", "client_id", "status", "approved_at"
    ):
        rank = (status in LIVE_LINE_STATUSES, approved_at, line_id)
        if client_id not in chosen or rank > chosen[client_id]:
            chosen[client_id] = rank
    return {client_id: rank[2] for client_id, rank in chosen.items()}


def _packages_by_line(line_ids: list[int] | None) -> dict[int, list[str]]:
    """line id → allowed package codes (``None``: every line, no id list in the query)."""
    through = CreditLine.packages.through
    found: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.all()
    if line_ids is not None:
        rows = rows.filter(creditline_id__in=line_ids)
    for line_id, code in rows.values_list("creditline_id", "leveragepackage__code"):
        found[line_id].append(code)
    return found


def _contract_codes(line_ids: list[int] | None) -> dict[int, str]:
    """line id → package code named in the latest signed or in-force contract."""
    rows = Contract.objects.filter(
        subject_kind=SUBJECT_CREDIT_LINE,
        status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE],
    )
    if line_ids is not None:
        rows = rows.filter(subject_ref__in=[str(i) for i in line_ids])
    rows = rows.order_by("version").values_list("subject_ref", "terms")
    found: dict[int, str] = {}
    for ref, terms in rows:
        if terms and terms.get("package_key"):
            found[int(ref)] = str(terms["package_key"]).removeprefix(PACKAGE_PREFIX)
    return found


@lru_cache(maxsize=256)
def _leverage(code: str, on: date) -> Decimal | None:
    try:
        return effective_max_financing_ratio(code, on)
    except ParameterMissing:
        return None


def _pick(codes: list[str], named: str | None, on: date) -> str | None:
    if not codes:
        return None
    if named in codes:
        return named
    if len(codes) == 1:
        return codes[0]
    usable: list[tuple[Decimal, str]] = []
    for code in codes:
        leverage = _leverage(code, on)
        if leverage is not None:
            usable.append((leverage, code))
    if not usable:
        return sorted(codes)[0]
    return min(usable)[1]


def package_codes_by_client(client_ids: Iterable[int] | None, on: date) -> dict[int, str | None]:
    """client id → governing package code (``None``: no line or no package)."""
    ids = None if client_ids is None else list(client_ids)
    _leverage.cache_clear()
    lines = _lines_by_client(ids)
    line_ids = None if ids is None else list(lines.values())
    packages = _packages_by_line(line_ids)
    named = _contract_codes(line_ids)
    result: dict[int, str | None] = {}
    for client_id, line_id in lines.items():
        result[client_id] = _pick(packages.get(line_id, []), named.get(line_id), on)
    return result


def terms_by_code(codes: Iterable[str | None], on: date) -> dict[str, PackageTerms | None]:
    """Package code → terms in force on ``on`` (``None`` before the package had terms)."""
    found: dict[str, PackageTerms | None] = {}
    for code in {c for c in codes if c}:
        try:
            found[code] = package_terms(code, on)
        except ParameterMissing:
            found[code] = None
    return found
