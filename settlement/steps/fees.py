"""Fees: the financing service fee (accrues like interest) and the monthly account fee.

Parameters: ``clearing-fees`` (dated, maker-checker). Both are VAT-inclusive charges to
``fees_receivable`` (the client owes them; nothing is taken from cash, so a client without cash
is charged all the same): ``Dr fees_receivable / Cr fee_income / Cr vat_payable``.
The account fee is charged on the last trading day of the month, keyed by month.
"""

from __future__ import annotations

from decimal import Decimal

from custody.enums import ChartCode, EntryKind, MarginAccountStatus
from custody.models import MarginAccount
from custody.services.bulk import post_entries_bulk, posted_keys
from settlement import keys
from settlement.accrual import accrual_days, annual_factor, charge, is_month_end
from settlement.reads import client_balances, keys_posted_on
from settlement.registry import StepContext, StepOutcome
from settlement.steps.charges import ChargeBatch, fees_snapshot


def _account_fee_targets(
    ctx: StepContext, principals: dict[int, Decimal], only_debt: bool
) -> list[int]:
    if only_debt:
        return sorted(a for a, p in principals.items() if p > 0)
    return list(
        MarginAccount.objects.filter(
            pk__range=(ctx.first_account_id, ctx.last_account_id),
            status=MarginAccountStatus.OPEN,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def charge_fees(ctx: StepContext) -> StepOutcome:
    assert ctx.first_account_id is not None and ctx.last_account_id is not None  # noqa: S101
    day = ctx.business_date
    fees = fees_snapshot(keys.FEES_SET, day)
    balances = client_balances(
        ctx.first_account_id, ctx.last_account_id, [ChartCode.FINANCED_PRINCIPAL], day
    )
    principals = {a: b.get(ChartCode.FINANCED_PRINCIPAL, Decimal(0)) for a, b in balances.items()}
    rate = fees["service_fee_annual_rate"]
    monthly = fees["account_fee_monthly"]
    monthly_targets = (
        _account_fee_targets(ctx, principals, fees["account_fee_only_with_debt"])
        if monthly > 0 and is_month_end(day)
        else []
    )
    # Service fee keys carry the date: the shard's fee entries of the day are all of them. The
    # account fee is keyed by month, so its keys are looked up one by one.
    posted = posted_keys([keys.account_fee_key(day, a) for a in monthly_targets])
    if rate > 0 and any(p > 0 for p in principals.values()):
        posted |= keys_posted_on(day, ctx.first_account_id, ctx.last_account_id, [EntryKind.FEE])
    batch = ChargeBatch(vat_rate=fees["vat_rate"], posted=posted)
    if rate > 0:
        days = accrual_days(day)
        factor = annual_factor(days, lambda _d: (rate, fees["service_fee_day_count"]))
        for account_id in sorted(principals):
            batch.add(
                key=keys.service_fee_key(day, account_id),
                kind=EntryKind.FEE,
                day=day,
                account_id=account_id,
                amount=charge(principals[account_id], factor),
                receivable=ChartCode.FEES_RECEIVABLE,
                income=ChartCode.FEE_INCOME,
                label="service_fee",
                memo=f"financing service fee {len(days)} d on {principals[account_id]}",
            )
    if monthly_targets:
        for account_id in monthly_targets:
            batch.add(
                key=keys.account_fee_key(day, account_id),
                kind=EntryKind.FEE,
                day=day,
                account_id=account_id,
                amount=monthly,
                receivable=ChartCode.FEES_RECEIVABLE,
                income=ChartCode.FEE_INCOME,
                label="account_fee",
                memo=f"account management fee {day:%Y-%m}",
            )
    result = post_entries_bulk(entries=batch.entries)
    return StepOutcome(
        entries_posted=result.entries_posted,
        rows_written=result.postings_written,
        totals=batch.text_totals(),
    )
