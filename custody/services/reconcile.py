"""Check every running balance against the sum of its postings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from core.money import ZERO, quantize_money
from custody.enums import BreakKind, BreakStatus
from custody.models import LedgerBalance, Posting, ReconciliationBreak


@dataclass(frozen=True)
class LedgerDifference:
    ledger_account_id: int
    label: str
    running: Decimal
    from_postings: Decimal

    @property
    def difference(self) -> Decimal:
        return self.running - self.from_postings


def ledger_differences() -> list[LedgerDifference]:
    """Accounts whose running balance is not the sum of their postings (two queries)."""
    sums = dict(
        Posting.objects.values("ledger_account_id")
        .annotate(total=Sum("amount"))
        .values_list("ledger_account_id", "total")
    )
    differences = []
    balances = LedgerBalance.objects.select_related("ledger_account__margin_account").order_by("pk")
    for row in balances.iterator(chunk_size=2000):
        expected = quantize_money(sums.pop(row.ledger_account_id, ZERO))
        if row.balance != expected:
            differences.append(
                LedgerDifference(
                    row.ledger_account_id, str(row.ledger_account), row.balance, expected
                )
            )
    for account_id, total in sums.items():  # postings on an account without a balance row
        differences.append(
            LedgerDifference(account_id, f"ledger account {account_id}", ZERO, total)
        )
    return differences


@transaction.atomic
def reconcile_ledger(*, record_breaks: bool = False, by: Any = None) -> list[LedgerDifference]:
    """Report differences; with ``record_breaks`` open one break per account (not twice)."""
    differences = ledger_differences()
    if record_breaks:
        for diff in differences:
            exists = ReconciliationBreak.objects.filter(
                kind=BreakKind.LEDGER_DIFFERENCE,
                ledger_account_id=diff.ledger_account_id,
                status=BreakStatus.OPEN,
            ).exists()
            if not exists:
                ReconciliationBreak.objects.create(
                    kind=BreakKind.LEDGER_DIFFERENCE,
                    ledger_account_id=diff.ledger_account_id,
                    amount=diff.running,
                    expected_amount=diff.from_postings,
                    description=(
                        f"{diff.label}: running balance {diff.running} but postings sum to "
                        f"{diff.from_postings} (difference {diff.difference})"
                    ),
                )
    return differences
