"""Demo: financing drawn a week ago and the last few trading days cleared (idempotent)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core import params
from core.demo import DemoContext
from core.exceptions import ParameterMissing
from core.models import ParameterSet
from core.params.services import parameter_seed_history
from credit.keys import REGIME_SET, package_set_key
from credit.models import CreditLine, LeveragePackage
from custody.enums import ChartCode, EntryKind
from custody.models import MarginAccount
from custody.services.ledger import credit, debit, post_entry
from markets import calendar
from settlement.models import DailyStatement
from settlement.services import clearing_run

DAYS = 4


def _days(today: date) -> list[date]:
    last = today if calendar.is_trading_day(today) else calendar.previous_trading_day(today)
    days = [last]
    while len(days) < DAYS:
        days.insert(0, calendar.previous_trading_day(days[0]))
    return days


def _terms_from(first: date, today: date) -> None:
    """The demo's packages start today; give them (and the regime) a month of history."""
    keys = [package_set_key(p.code) for p in LeveragePackage.objects.all()] + [REGIME_SET]
    for key in keys:
        try:
            params.snapshot(key, first)
            continue
        except ParameterMissing:
            pass
        try:
            current = params.version_in_force(key, today)
        except ParameterMissing:
            continue
        parameter_seed_history(
            parameter_set=ParameterSet.objects.get(key=key),
            versions=[(first, current.values, "demo history: the same terms a month earlier")],
        )


def _drawdowns(day: date) -> int:
    clients = CreditLine.objects.filter(activated_at__isnull=False).values_list(
        "client_id", "limit"
    )
    drawn = 0
    for account in MarginAccount.objects.filter(client_id__in=[c for c, _l in clients]):
        limit = dict(clients)[account.client_id]
        amount = min(Decimal(limit) / 2, Decimal("300000.00")).quantize(Decimal("0.01"))
        post_entry(
            key=f"demo-drawdown-{account.pk}",
            kind=EntryKind.DRAWDOWN,
            business_date=day,
            legs=[
                debit(ChartCode.FINANCED_PRINCIPAL, amount, account),
                credit(ChartCode.CLIENT_CASH, amount, account),
            ],
            memo="demo financing",
            margin_account=account,
        )
        drawn += 1
    return drawn


def seed(ctx: DemoContext) -> None:
    days = _days(ctx.today)
    _terms_from(days[0].replace(day=1) if days[0].day > 1 else days[0], ctx.today)
    drawn = _drawdowns(days[0])
    for day in days:
        clearing_run(business_date=day, by=ctx.staff.get("ops1"))
    count = DailyStatement.objects.filter(business_date=days[-1]).count()
    ctx.log(
        f"settlement: {len(days)} trading days cleared ({days[0]} – {days[-1]}), "
        f"{drawn} account(s) with financing, {count} statement(s) for {days[-1]}"
    )
    ctx.notes.append(
        "Settlement: Settlement → Clearing runs shows each night's steps and shards (Resume / "
        "Rerun on a run's page); Daily statements opens PDFs; clients see Your statements in "
        "the portal. Run a date yourself: manage.py clearing_run --date YYYY-MM-DD."
    )
