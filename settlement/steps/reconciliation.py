"""Reconciliation at the close: the ledger against itself, the exchange and the bank.

* every running balance equals the sum of its postings, and all balances sum to zero per
  currency (set-based: one aggregate over the postings);
* the exchange clearing account (``clearing_settlement``) holds what the day's unsettled trades
  say it should — zero until trade capture registers an expectation
  (:func:`register_clearing_expectation`);
* the custodian bank account equals the money the imported bank statements show moved through
  the omnibus account up to the date (skipped, and said so, until a statement is imported).

Each difference is a :class:`ClearingBreak` (one per run, kind and reference: reruns do not
repeat them), listed in the console for people to resolve.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum

from core.money import DEFAULT_CURRENCY, ZERO, quantize_money
from custody.enums import ChartCode, MovementDirection
from custody.models import BankStatementLine
from settlement.enums import ClearingBreakKind
from settlement.models import ClearingBreak
from settlement.reads import firm_balance_as_of
from settlement.registry import StepContext, StepOutcome

ClearingExpectation = Callable[[date], Decimal]
_expectations: list[ClearingExpectation] = []


def register_clearing_expectation(fn: ClearingExpectation) -> None:
    """Trade capture: ``fn(business_date)`` → what ``clearing_settlement`` should hold (CNY)."""
    if fn not in _expectations:
        _expectations.append(fn)


_DIFFERENCES = """
SELECT b.ledger_account_id, b.balance, COALESCE(s.total, 0)
FROM custody_ledgerbalance b
LEFT JOIN (SELECT ledger_account_id, SUM(amount) AS total FROM custody_posting
           GROUP BY ledger_account_id) s ON s.ledger_account_id = b.ledger_account_id
WHERE b.balance <> COALESCE(s.total, 0)
UNION ALL
SELECT p.ledger_account_id, 0, SUM(p.amount)
FROM custody_posting p
LEFT JOIN custody_ledgerbalance b ON b.ledger_account_id = p.ledger_account_id
WHERE b.ledger_account_id IS NULL
GROUP BY p.ledger_account_id
"""

# PostgreSQL: the same in one pass over the postings (a full join instead of a second,
# anti-joined scan for postings without a balance row).
_DIFFERENCES_PG = """
SELECT COALESCE(b.ledger_account_id, s.ledger_account_id), COALESCE(b.balance, 0),
       COALESCE(s.total, 0)
FROM custody_ledgerbalance b
FULL JOIN (SELECT ledger_account_id, SUM(amount) AS total FROM custody_posting
           GROUP BY ledger_account_id) s ON s.ledger_account_id = b.ledger_account_id
WHERE COALESCE(b.balance, 0) <> COALESCE(s.total, 0)
"""

_TRIAL = """
SELECT a.currency, SUM(b.balance)
FROM custody_ledgerbalance b JOIN custody_ledgeraccount a ON a.id = b.ledger_account_id
GROUP BY a.currency
"""


def _money(value: object) -> Decimal:
    # SQLite sums decimals as floats: back to cents before comparing.
    return quantize_money(Decimal(str(value or 0)))


def ledger_differences() -> list[tuple[int, Decimal, Decimal]]:
    with connection.cursor() as cursor:
        cursor.execute(_DIFFERENCES_PG if connection.vendor == "postgresql" else _DIFFERENCES)
        rows = [(int(a), _money(r), _money(p)) for a, r, p in cursor.fetchall()]
    return [(a, r, p) for a, r, p in rows if r != p]


def trial_balance() -> dict[str, Decimal]:
    with connection.cursor() as cursor:
        cursor.execute(_TRIAL)
        return {ccy: _money(total) for ccy, total in cursor.fetchall()}


def _break(
    ctx: StepContext,
    kind: str,
    reference: str,
    actual: Decimal,
    expected: Decimal,
    description: str,
    currency: str = DEFAULT_CURRENCY,
) -> int:
    _obj, created = ClearingBreak.objects.get_or_create(
        run_id=ctx.run_id,
        kind=kind,
        reference=reference,
        defaults={
            "currency": currency,
            "actual": actual,
            "expected": expected,
            "description": description,
        },
    )
    return int(created)


def _bank_side(day: date) -> Decimal | None:
    lines = BankStatementLine.objects.filter(booking_date__lte=day, currency=DEFAULT_CURRENCY)
    if not lines.exists():
        return None
    sums = lines.aggregate(
        inflow=Sum("amount", filter=Q(direction=MovementDirection.IN)),
        outflow=Sum("amount", filter=Q(direction=MovementDirection.OUT)),
    )
    return (sums["inflow"] or ZERO) - (sums["outflow"] or ZERO)


def reconcile(ctx: StepContext) -> StepOutcome:
    day = ctx.business_date
    new = 0
    differences = ledger_differences()
    for account_id, running, postings in differences:
        new += _break(
            ctx,
            ClearingBreakKind.LEDGER_BALANCE,
            f"ledger-account:{account_id}",
            running,
            postings,
            f"ledger account #{account_id}: running balance {running} but its postings sum to "
            f"{postings} (difference {running - postings})",
        )
    for currency, total in trial_balance().items():
        if total != 0:
            new += _break(
                ctx,
                ClearingBreakKind.TRIAL_BALANCE,
                f"currency:{currency}",
                total,
                ZERO,
                f"{currency} balances sum to {total}, not zero",
                currency,
            )
    clearing = firm_balance_as_of(ChartCode.CLEARING_SETTLEMENT, day)
    expected = sum((fn(day) for fn in _expectations), ZERO)
    if clearing != expected:
        new += _break(
            ctx,
            ClearingBreakKind.CLEARING_ACCOUNT,
            "clearing_settlement",
            clearing,
            expected,
            f"exchange clearing account holds {clearing} at the close of {day}; the day's "
            f"unsettled trades say {expected}",
        )
    bank = _bank_side(day)
    totals = {"ledger_differences": str(len(differences)), "new_breaks": "0"}
    if bank is None:
        totals["custodian_bank"] = "skipped: no bank statement imported"
    else:
        ledger = firm_balance_as_of(ChartCode.CUSTODIAN_BANK, day)
        totals["custodian_bank"] = f"bank {bank} / ledger {ledger}"
        if bank != ledger:
            new += _break(
                ctx,
                ClearingBreakKind.CUSTODIAN_BANK,
                "custodian_bank",
                ledger,
                bank,
                f"custodian bank account in the ledger holds {ledger} at the close of {day}; "
                f"the imported bank statements show {bank} moved through the omnibus account",
            )
    totals["new_breaks"] = str(new)
    return StepOutcome(rows_written=new, totals=totals)
