"""Interest accrual on financed principal, and penalty interest on debt past the line's end.

For every account of the shard with financed principal at the close: principal × Σ over the
accrual days (see ``settlement.accrual``) of the package's annual rate ÷ its day basis, each day
at the rate in force that day. Days after the credit line's last valid day also carry the
package's ``overdue_penalty_daily_rate``. One entry per account and kind, keyed by date and
account, posted in bulk: ``Dr interest_receivable / Cr interest_income / Cr vat_payable``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

from custody.enums import ChartCode, EntryKind
from custody.services.bulk import post_entries_bulk
from settlement import keys
from settlement.accrual import accrual_days, annual_factor, charge, daily_factor
from settlement.reads import client_balances, financing_terms, keys_posted_on
from settlement.registry import StepContext, StepOutcome
from settlement.steps.charges import ChargeBatch, PackageRates, fees_snapshot


def _interest_memo(days: list[date], principal: Decimal, package: str) -> str:
    return f"interest {days[0]}..{days[-1]} ({len(days)} d) on {principal} ({package})"


def _penalty_memo(overdue: list[date], principal: Decimal) -> str:
    return f"penalty interest {len(overdue)} d past the line's end on {principal}"


# Memos are made only for entries still to be posted (a rerun builds none).
def accrue_interest(ctx: StepContext) -> StepOutcome:
    assert ctx.first_account_id is not None and ctx.last_account_id is not None  # noqa: S101
    day = ctx.business_date
    days = accrual_days(day)
    balances = client_balances(
        ctx.first_account_id, ctx.last_account_id, [ChartCode.FINANCED_PRINCIPAL], day
    )
    terms = financing_terms(ctx.first_account_id, ctx.last_account_id)
    fees = fees_snapshot(keys.FEES_SET, day)
    rates = PackageRates()
    owing = [a for a, b in balances.items() if b.get(ChartCode.FINANCED_PRINCIPAL, 0) > 0]
    # Interest keys carry the date: the shard's interest entries of the day are all of them.
    batch = ChargeBatch(
        vat_rate=fees["vat_rate"],
        posted=keys_posted_on(day, ctx.first_account_id, ctx.last_account_id, [EntryKind.INTEREST])
        if owing
        else set(),
    )
    factors: dict[str, Decimal] = {}
    for account_id in sorted(balances):
        principal = balances[account_id].get(ChartCode.FINANCED_PRINCIPAL, Decimal(0))
        if principal <= 0:
            continue
        financing = terms.get(account_id)
        package = financing.package if financing else fees["fallback_package"]
        if package not in factors:
            factors[package] = annual_factor(days, rates.interest(package))
        batch.add(
            key=keys.interest_key(day, account_id),
            kind=EntryKind.INTEREST,
            day=day,
            account_id=account_id,
            amount=charge(principal, factors[package]),
            receivable=ChartCode.INTEREST_RECEIVABLE,
            income=ChartCode.INTEREST_INCOME,
            label="interest",
            memo=partial(_interest_memo, days, principal, package),
        )
        if financing is not None and financing.valid_to < days[-1]:  # some days past its end
            overdue = [d for d in days if d > financing.valid_to]
            batch.add(
                key=keys.penalty_key(day, account_id),
                kind=EntryKind.INTEREST,
                day=day,
                account_id=account_id,
                amount=charge(principal, daily_factor(overdue, rates.penalty(package))),
                receivable=ChartCode.INTEREST_RECEIVABLE,
                income=ChartCode.INTEREST_INCOME,
                label="penalty",
                memo=partial(_penalty_memo, overdue, principal),
            )
    result = post_entries_bulk(entries=batch.entries)
    return StepOutcome(
        entries_posted=result.entries_posted,
        rows_written=result.postings_written,
        totals=batch.text_totals(),
    )
