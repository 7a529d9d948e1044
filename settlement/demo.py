"""Demo: the last few trading days cleared (idempotent).

The earlier demos leave a book dated before these days — the credit rules in force since
``ctx.rules_from``, margin accounts opened, funded and financed on ``ctx.opening_day``, trades
on the last two sessions — so each night's run accrues interest, settles the day's trades (T+1)
and writes a statement for every open account.
"""

from __future__ import annotations

from django.db.models import Sum

from core.demo import DemoContext
from core.money import quantize_money
from settlement.models import DailyStatement
from settlement.services import clearing_run


def seed(ctx: DemoContext) -> None:
    days = ctx.cleared_days
    for day in days:
        clearing_run(business_date=day, by=ctx.staff.get("ops1"))
    last = DailyStatement.objects.filter(business_date=days[-1])
    interest = quantize_money(last.aggregate(total=Sum("interest_today"))["total"] or 0)
    ctx.log(
        f"settlement: {len(days)} trading days cleared ({days[0]} – {days[-1]}), "
        f"{last.count()} statement(s) for {days[-1]} "
        f"({last.filter(financed_principal__gt=0).count()} with financing, "
        f"interest that night CNY {interest})"
    )
    ctx.notes.append(
        "Settlement: Settlement → Clearing runs shows each night's steps and shards (Resume / "
        "Rerun on a run's page); Daily statements opens PDFs; clients see Your statements in "
        "the portal. Run a date yourself: manage.py clearing_run --date YYYY-MM-DD."
    )
