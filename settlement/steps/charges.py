"""Charges to client accounts as ledger entries: Dr receivable / Cr income (+ Cr VAT payable)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core import params
from credit.rules import package_terms
from custody.services.ledger import EntrySpec, Leg
from settlement.accrual import split_vat
from settlement.keys import VAT_PAYABLE


@dataclass
class ChargeBatch:
    """Entries of one step and shard, with the totals the run report shows."""

    vat_rate: Decimal
    entries: list[EntrySpec] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)
    # Keys already in the ledger (a rerun, a resumed shard): counted in the totals, not built
    # again — a posted charge is never recomputed (a correction is a reversing entry).
    posted: set[str] = field(default_factory=set)
    skipped: int = 0

    def add(
        self,
        *,
        key: str,
        kind: str,
        day: date,
        account_id: int,
        amount: Decimal,
        receivable: str,
        income: str,
        label: str,
        memo: str | Callable[[], str],  # a callable is called only for an entry to be built
    ) -> None:
        if amount <= 0:
            return
        net, vat = split_vat(amount, self.vat_rate)
        if key in self.posted:
            self.skipped += 1
        else:
            legs = [Leg(receivable, amount, account_id), Leg(income, -net)]
            if vat:
                legs.append(Leg(VAT_PAYABLE, -vat))
            text = memo() if callable(memo) else memo
            self.entries.append(EntrySpec(key, kind, day, legs, text[:200], account_id))
        self.totals[label] = self.totals.get(label, Decimal(0)) + amount
        self.totals["vat"] = self.totals.get("vat", Decimal(0)) + vat

    def text_totals(self) -> dict[str, str]:
        return {name: str(amount) for name, amount in sorted(self.totals.items())}


class PackageRates:
    """Package terms by (package, day), read once per run of a step (a few queries in all)."""

    def __init__(self) -> None:
        self._terms: dict[tuple[str, date], tuple[Decimal, str, Decimal]] = {}

    def _get(self, package: str, day: date) -> tuple[Decimal, str, Decimal]:
        if (package, day) not in self._terms:
            terms = package_terms(package, day)
            self._terms[(package, day)] = (
                terms.annual_interest_rate,
                terms.day_count,
                terms.overdue_penalty_daily_rate,
            )
        return self._terms[(package, day)]

    def interest(self, package: str) -> Callable[[date], tuple[Decimal, str]]:
        return lambda day: self._get(package, day)[:2]

    def penalty(self, package: str) -> Callable[[date], Decimal]:
        return lambda day: self._get(package, day)[2]


def fees_snapshot(set_key: str, day: date) -> params.ParameterSnapshot:
    return params.snapshot(set_key, day)
