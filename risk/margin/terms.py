"""Which package terms govern each margin account, resolved for many accounts in a few queries.

The rules are :func:`custody.credit_terms.account_package`'s (the package named in the signed
contract, else the line's only package, else the one with the lowest usable leverage), applied
to the whole book at once. The line read is the client's live one (pending, active, suspended);
when there is none — the line expired or closed while money is still owed — the most recently
approved line still says which terms the client agreed to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np

from contracts.enums import ContractStatus
from contracts.models import Contract
from core.exceptions import ParameterMissing
from credit.enums import LIVE_LINE_STATUSES
from credit.keys import PACKAGE_PREFIX
from credit.models import CreditLine, LeveragePackage
from credit.rules import PackageTerms, effective_max_financing_ratio, package_terms
from custody.credit_terms import SUBJECT_CREDIT_LINE
from risk.margin.fetch import fetch_columns


def _governing_lines(client_ids: list[int] | None, using: str) -> tuple[np.ndarray, np.ndarray]:
    """(clients, lines), sorted by client: the line whose terms apply to each client — the live
    one first, else the latest approved. A window function ranks the lines on the server."""
    live = ", ".join(["%s"] * len(LIVE_LINE_STATUSES))
    params_: list[Any] = [str(s) for s in LIVE_LINE_STATUSES]
    where = ""
    if client_ids is not None:
        where = f"WHERE client_id IN ({', '.join(['%s'] * len(client_ids)) or 'NULL'})"
        params_ += [int(c) for c in client_ids]
    # Table names and placeholders are this module's own; values travel as parameters.
    sql = (
        "SELECT CAST(client_id AS BIGINT), CAST(id AS BIGINT) FROM ("  # noqa: S608
        " SELECT id, client_id, ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY"
        f"  CASE WHEN status IN ({live}) THEN 0 ELSE 1 END,"
        "  CASE WHEN approved_at IS NULL THEN 1 ELSE 0 END, approved_at DESC, id DESC) AS rn"
        f" FROM {CreditLine._meta.db_table} {where}) ranked WHERE rn = 1"
    )
    clients, lines = fetch_columns(sql, params_, "ii", using)
    order = np.argsort(clients, kind="stable")
    return clients[order], lines[order]


def _line_packages(line_ids: list[int] | None, using: str) -> tuple[np.ndarray, np.ndarray]:
    """(lines, packages), sorted by line: every package each line allows."""
    where, params_ = "", [int(i) for i in line_ids or []]
    if line_ids is not None:
        where = f"WHERE creditline_id IN ({', '.join(['%s'] * len(line_ids)) or 'NULL'})"
    sql = (
        "SELECT CAST(creditline_id AS BIGINT), CAST(leveragepackage_id AS BIGINT)"  # noqa: S608
        f" FROM {CreditLine.packages.through._meta.db_table} {where}"
    )
    lines, packages = fetch_columns(sql, params_, "ii", using)
    order = np.lexsort((packages, lines))
    return lines[order], packages[order]


def _contract_codes(line_ids: list[int], using: str) -> dict[int, str]:
    """line id → package code named in the latest signed or in-force contract."""
    rows = Contract.objects.using(using).filter(
        subject_kind=SUBJECT_CREDIT_LINE,
        status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE],
        subject_ref__in=[str(i) for i in line_ids],
    )
    # Only the key is read (not the whole terms document): one short string per contract.
    rows = rows.order_by("version").values_list("subject_ref", "terms__package_key")
    found: dict[int, str] = {}
    for ref, key in rows:
        if key:
            found[int(ref)] = str(key).removeprefix(PACKAGE_PREFIX)
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


def package_code_array(
    client_ids: np.ndarray, on: date, *, using: str = "default", whole_book: bool = True
) -> np.ndarray:
    """Per client in ``client_ids``: the governing package code (``""``: no line or package).

    ``whole_book`` reads every line in one pass (the sweep); otherwise only these clients'.
    Most lines allow one package, which is then the answer; a line allowing several is
    resolved once per distinct (packages, named package) combination.
    """
    ids = None if whole_book else [int(c) for c in client_ids]
    _leverage.cache_clear()
    clients, lines = _governing_lines(ids, using)
    pair_lines, pair_packages = _line_packages(None if ids is None else lines.tolist(), using)
    start = np.searchsorted(pair_lines, lines, side="left")
    count = np.searchsorted(pair_lines, lines, side="right") - start
    code_of = dict(LeveragePackage.objects.using(using).values_list("pk", "code"))
    governing = np.full(clients.shape[0], "", dtype=object)
    single = count == 1
    governing[single] = [code_of[int(p)] for p in pair_packages[start[single]].tolist()]
    several = np.flatnonzero(count > 1)
    if several.size:
        named = _contract_codes(lines[several].tolist(), using)
        picked: dict[tuple[tuple[str, ...], str | None], str | None] = {}
        for i in several.tolist():
            first = int(start[i])
            codes = tuple(sorted(code_of[int(p)] for p in pair_packages[first : first + count[i]]))
            combo = (codes, named.get(int(lines[i])))
            if combo not in picked:
                picked[combo] = _pick(list(codes), combo[1], on)
            governing[i] = picked[combo] or ""
    wanted = np.asarray(client_ids, dtype=np.int64)
    out = np.full(wanted.shape[0], "", dtype=object)
    if clients.size and wanted.size:
        at = np.minimum(np.searchsorted(clients, wanted), clients.size - 1)
        hit = clients[at] == wanted
        out[hit] = governing[at[hit]]
    return out


def package_codes_by_client(client_ids: Iterable[int], on: date) -> dict[int, str | None]:
    """client id → governing package code (``None``: no line or no package)."""
    ids = np.asarray(sorted(set(client_ids)), dtype=np.int64)
    codes = package_code_array(ids, on, whole_book=False)
    return {int(c): code or None for c, code in zip(ids.tolist(), codes.tolist(), strict=True)}


def terms_by_code(codes: Iterable[str | None], on: date) -> dict[str, PackageTerms | None]:
    """Package code → terms in force on ``on`` (``None`` before the package had terms)."""
    found: dict[str, PackageTerms | None] = {}
    for code in {c for c in codes if c}:
        try:
            found[code] = package_terms(code, on)
        except ParameterMissing:
            found[code] = None
    return found
