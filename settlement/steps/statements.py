"""Daily statements: one row per account with the figures DOMAIN.md requires, in bulk.

Figures at the close of the business date: cash, securities at their marks, collateral value
after the package's haircuts, the debt (principal, accrued interest, fees), the maintenance
ratio (assets ÷ liabilities, empty without debt), the credit line, the available margin
(cash + collateral value − principal × financing margin ratio − interest − fees, at least
zero) and the withdrawable cash (custody's rule: the ratio after the withdrawal stays at or
above ``withdrawal_min_ratio``), and what the clearing charged today. A rerun replaces the
shard's rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from core import params
from core.money import ZERO, quantize_money
from credit.haircuts import haircut_for, suspended_instrument_ids
from credit.rules import (
    effective_max_financing_ratio,
    package_snapshot,
    regulatory_rules,
    regulatory_snapshot,
)
from custody.enums import ChartCode, EntryKind
from custody.models import Fill, MarginAccount, Position, Posting
from custody.valuation import Valuation
from markets.enums import Side
from markets.models import Instrument
from settlement import keys
from settlement.accrual import is_month_end
from settlement.copy import insert_rows
from settlement.models import DailyStatement
from settlement.models.statements import STATEMENT_FIGURES
from settlement.reads import between, client_balances, financing_terms, marks_on
from settlement.registry import StepContext, StepOutcome

CODES = [
    ChartCode.CLIENT_CASH,
    ChartCode.FINANCED_PRINCIPAL,
    ChartCode.INTEREST_RECEIVABLE,
    ChartCode.FEES_RECEIVABLE,
]
KEY_CHUNK = 5000
COLUMNS = [
    "margin_account_id",
    "business_date",
    "run_id",
    "currency",
    "package",
    *STATEMENT_FIGURES,
    "created_at",
]


# PostgreSQL: the shard's interest and fee entries of the day (journal entries are indexed by
# date and account), each counted by its debit leg — the receivable: a charge is Dr receivable /
# Cr income (/ Cr VAT) — when its key is one of the clearing's for that account (key prefixes as
# parameters), summed per account in the database.
_CHARGED_SQL = """
SELECT e.margin_account_id,
       SUM(p.amount) FILTER (WHERE e.idempotency_key IN
           (%(interest)s::text || e.margin_account_id::text,
            %(penalty)s::text || e.margin_account_id::text)),
       SUM(p.amount) FILTER (WHERE e.idempotency_key IN
           (%(service_fee)s::text || e.margin_account_id::text,
            %(account_fee)s::text || e.margin_account_id::text))
FROM custody_journalentry e
JOIN custody_posting p ON p.entry_id = e.id AND p.amount > 0
WHERE e.business_date = %(day)s AND e.margin_account_id BETWEEN %(first)s AND %(last)s
  AND e.kind IN (%(interest_kind)s, %(fee_kind)s)
GROUP BY e.margin_account_id
"""
_CHARGE_CODES = [ChartCode.INTEREST_RECEIVABLE, ChartCode.FEES_RECEIVABLE]
Charged = tuple[Decimal, Decimal]  # (interest, fees) charged today
NOTHING_CHARGED: Charged = (ZERO, ZERO)


def _key_prefix(make: Callable[[date, int], str], day: date) -> str:
    """``make(day, account)`` without the account id (every clearing key ends with it)."""
    return make(day, 0).removesuffix("0")


def _charged_today(ids: list[int], day: date) -> dict[int, Charged]:
    """Interest and fees the clearing posted for ``day`` per account, found by their entry keys
    (interest and penalty interest; the service fee and, on a month's last trading day, the
    account fee)."""
    month_end = is_month_end(day)
    if connection.vendor == "postgresql":
        if not ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                _CHARGED_SQL,
                {
                    "interest": _key_prefix(keys.interest_key, day),
                    "penalty": _key_prefix(keys.penalty_key, day),
                    "service_fee": _key_prefix(keys.service_fee_key, day),
                    "account_fee": _key_prefix(keys.account_fee_key, day) if month_end else None,
                    "day": day,
                    "first": ids[0],
                    "last": ids[-1],
                    "interest_kind": str(EntryKind.INTEREST),
                    "fee_kind": str(EntryKind.FEE),
                },
            )
            return {
                account_id: (interest or ZERO, fees or ZERO)
                for account_id, interest, fees in cursor.fetchall()
            }
    keyed = [keys.interest_key, keys.penalty_key, keys.service_fee_key]
    if month_end:
        keyed.append(keys.account_fee_key)
    wanted = [make(day, i) for i in ids for make in keyed]
    sums: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for start in range(0, len(wanted), KEY_CHUNK):
        rows = Posting.objects.filter(
            entry__idempotency_key__in=wanted[start : start + KEY_CHUNK],
            ledger_account__account_type_id__in=_CHARGE_CODES,
        ).values_list(
            "ledger_account__margin_account_id", "ledger_account__account_type_id", "amount"
        )
        for account_id, code, amount in rows:
            sums[(account_id, code)] += amount
    return {
        account_id: (
            sums.get((account_id, ChartCode.INTEREST_RECEIVABLE), ZERO),
            sums.get((account_id, ChartCode.FEES_RECEIVABLE), ZERO),
        )
        for account_id in {a for a, _code in sums}
    }


def positions_at_close(first: int, last: int, day: date) -> list[tuple[int, int, Decimal]]:
    """(account, instrument, quantity) held at the close of ``day``: today's positions less
    the fills of later trade dates (a run resumed or rerun days later sees the night's book)."""
    held: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for account_id, instrument_id, quantity in Position.objects.filter(
        **between("margin_account", first, last), quantity__gt=0
    ).values_list("margin_account_id", "instrument_id", "quantity"):
        held[(account_id, instrument_id)] += quantity
    if Fill.objects.filter(trade_date__gt=day).exists():
        later = (
            Fill.objects.filter(**between("margin_account", first, last), trade_date__gt=day)
            .values_list("margin_account_id", "instrument_id", "side")
            .annotate(total=Sum("quantity"))
        )
        for account_id, instrument_id, side, total in later:
            held[(account_id, instrument_id)] += -total if side == Side.BUY else total
    return sorted((a, i, q) for (a, i), q in held.items() if q > 0)


class Collateral:
    """Securities value and haircut value per account (haircuts per instrument and package)."""

    def __init__(self, first: int, last: int, day: date) -> None:
        self.day = day
        self.positions = positions_at_close(first, last, day)
        held = {i for _a, i, _q in self.positions}
        self.marks = marks_on(day) if held else {}
        self.instruments = Instrument.objects.in_bulk(held) if held else {}
        self.suspended = suspended_instrument_ids(held, day) if held else set()
        self.regulatory = regulatory_snapshot(day) if held else None
        self._haircuts: dict[tuple[int, str], Decimal] = {}
        self.by_account: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for account_id, instrument_id, quantity in self.positions:
            self.by_account[account_id].append((instrument_id, quantity))

    def _haircut(self, instrument_id: int, package: str) -> Decimal:
        if (instrument_id, package) not in self._haircuts:
            self._haircuts[(instrument_id, package)] = haircut_for(
                self.instruments[instrument_id],
                package_snapshot(package, self.day),
                self.regulatory or {},
                self.day,
                suspended=instrument_id in self.suspended,
            )
        return self._haircuts[(instrument_id, package)]

    def values(self, account_id: int, package: str) -> tuple[Decimal, Decimal]:
        held = self.by_account.get(account_id)
        if not held:  # most accounts hold nothing: no arithmetic, no rounding
            return ZERO, ZERO
        market = collateral = Decimal(0)
        for instrument_id, quantity in held:
            price = self.marks.get(instrument_id)
            if price is None:
                continue
            market += quantity * price
            collateral += quantity * price * self._haircut(instrument_id, package)
        return quantize_money(market), quantize_money(collateral)


class Terms:
    """Per-package financing margin ratio and the regulatory withdrawal threshold of the day."""

    def __init__(self, day: date, fallback: str) -> None:
        self.day = day
        self.fallback = fallback
        rules = regulatory_rules(day)
        self.withdrawal_min_ratio = rules.withdrawal_min_ratio
        self.floor = rules.financing_margin_ratio_min
        self._margin: dict[str, Decimal] = {}

    def margin_ratio(self, package: str) -> Decimal:
        if package not in self._margin:
            usable = effective_max_financing_ratio(package, self.day)
            self._margin[package] = (
                max(Decimal(1) / usable, self.floor) if usable > 0 else self.floor
            )
        return self._margin[package]


def statement_row(
    *,
    valuation: Valuation,
    collateral_value: Decimal,
    margin_ratio: Decimal,
    withdrawal_min_ratio: Decimal,
) -> dict[str, Any]:
    """The computed fields of one statement (pure: the tests check it by hand)."""
    v = valuation
    available = (
        v.cash
        + collateral_value
        - v.financed_principal * margin_ratio
        - v.accrued_interest
        - v.fees
    )
    ratio = v.ratio
    return {
        "cash": v.cash,
        "securities_value": v.securities_value,
        "collateral_value": collateral_value,
        "assets": v.assets,
        "financed_principal": v.financed_principal,
        "accrued_interest": v.accrued_interest,
        "fees": v.fees,
        "liabilities": v.liabilities,
        "available_margin": max(quantize_money(available), ZERO),
        "withdrawable": v.withdrawable(withdrawal_min_ratio),
        "maintenance_ratio": None if ratio is None else ratio.quantize(Decimal("0.000001")),
    }


# Compared with what is stored: a rerun rewrites only the rows whose figures changed.
_COMPARED = [c for c in COLUMNS if c not in ("run_id", "created_at", "business_date")]
_COMPARED_OF = itemgetter(*(COLUMNS.index(c) for c in _COMPARED))  # a row's compared values
_ROW_OF = itemgetter(*COLUMNS)  # a row (COLUMNS order) from a statement's fields


_STORED_SQL = (  # the column names are this module's constants, never input
    f"SELECT {', '.join(_COMPARED)} FROM settlement_dailystatement "  # noqa: S608
    "WHERE business_date = %s AND margin_account_id BETWEEN %s AND %s"
)


def _stored(first: int, last: int, day: date) -> dict[int, tuple[Any, ...]]:
    """The shard's statements of ``day`` as stored (the columns a rerun compares)."""
    if connection.vendor == "postgresql":  # plain rows: no model conversion per column
        with connection.cursor() as cursor:
            cursor.execute(_STORED_SQL, [day, first, last])
            return {row[0]: tuple(row) for row in cursor.fetchall()}
    return {
        row[0]: row
        for row in DailyStatement.objects.filter(
            business_date=day, **between("margin_account", first, last)
        ).values_list(*_COMPARED)
    }


def _store(rows: list[tuple[Any, ...]], first: int, last: int, day: date) -> int:
    stored = _stored(first, last, day)
    changed = [row for row in rows if stored.pop(row[0], None) != _COMPARED_OF(row)]
    stale = [row[0] for row in changed] + list(stored)
    if stale:
        DailyStatement.objects.filter(business_date=day, margin_account_id__in=stale).delete()
    return insert_rows(DailyStatement, COLUMNS, changed)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def write_statements(ctx: StepContext) -> StepOutcome:
    assert ctx.first_account_id is not None and ctx.last_account_id is not None  # noqa: S101
    first, last, day = ctx.first_account_id, ctx.last_account_id, ctx.business_date
    accounts = list(
        MarginAccount.objects.filter(**between("pk", first, last), opened_at__lt=_end_of(day))
        .order_by("pk")
        .values_list("pk", "currency")
    )
    ids = [pk for pk, _c in accounts]
    balances = client_balances(first, last, CODES, day)
    financing = financing_terms(first, last)
    charged = _charged_today(ids, day)
    collateral = Collateral(first, last, day)
    terms = Terms(day, params.value(keys.FEES_SET, "fallback_package", day))
    now = timezone.now()
    rows = []
    nothing: dict[str, Decimal] = {}
    for account_id, currency in accounts:
        b = balances.get(account_id, nothing)
        line = financing.get(account_id)
        package = line.package if line else terms.fallback
        market, haircut_value = collateral.values(account_id, package)
        interest_today, fees_today = charged.get(account_id, NOTHING_CHARGED)
        valuation = Valuation(
            margin_account_id=account_id,
            on=day,
            cash=b.get(ChartCode.CLIENT_CASH, ZERO),
            securities_value=market,
            financed_principal=b.get(ChartCode.FINANCED_PRINCIPAL, ZERO),
            accrued_interest=b.get(ChartCode.INTEREST_RECEIVABLE, ZERO),
            fees=b.get(ChartCode.FEES_RECEIVABLE, ZERO),
        )
        fields = statement_row(
            valuation=valuation,
            collateral_value=haircut_value,
            margin_ratio=terms.margin_ratio(package),
            withdrawal_min_ratio=terms.withdrawal_min_ratio,
        )
        fields.update(
            margin_account_id=account_id,
            business_date=day,
            run_id=ctx.run_id,
            currency=currency,
            package=package if line else "",
            credit_limit=line.credit_limit if line and line.live else ZERO,
            interest_today=interest_today,
            fees_today=fees_today,
            created_at=now,
        )
        rows.append(_ROW_OF(fields))
    written = _store(rows, first, last, day)
    return StepOutcome(rows_written=written, totals={"statements": str(len(rows))})
