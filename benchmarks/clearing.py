"""Nightly clearing benchmark on PostgreSQL: 100,000 accounts, a full run, a rerun, the naive way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fulcrum_clearing \
        .venv/bin/python benchmarks/clearing.py

It never touches the database named in DATABASE_URL: it (re)creates ``fulcrum_bench_clearing``
on the same server, migrates it and works there. The book: 100,000 clients with a margin account,
a credit line on one of three packages (ACT/365 and ACT/360; one package's rate changes on the
Saturday), cash and financed principal posted through the bulk path, positions in 20 instruments
for one account in ten. The business date is a Friday, so interest accrues three days.

Both untimed stages end with ``VACUUM ANALYZE`` (this server runs without autovacuum; a
production one would have analysed the tables by then). Figures: (a) the full run
(``clearing_run``: marks, interest, fees, T+1 settlement, margin status, statements,
reconciliation, report) in this process; (b) a rerun of the same date (every step again) and the
postings it added (must be zero); (c) the naive way on a sample — per account: ORM reads,
``post_entry`` for interest and fee, ``account_valuation``, a statement saved with
``objects.create`` — extrapolated to all accounts (rolled back).
The last line printed is one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "fulcrum_bench_clearing"  # replaced by <named database>_bench_clearing
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "100000"))
NAIVE_SAMPLE = int(os.environ.get("BENCH_NAIVE_SAMPLE", "500"))
BUSINESS_DATE = date(2025, 11, 14)  # a Friday
PREVIOUS_DAY = date(2025, 11, 13)
RATE_CHANGE = date(2025, 11, 15)
RULES_FROM = date(2025, 1, 2)
INSTRUMENTS = 20
SHANGHAI = ZoneInfo("Asia/Shanghai")


def say(text: str) -> None:
    print(text, flush=True)


def prepare_database() -> None:
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("set DATABASE_URL to a PostgreSQL server (postgres://user@host:port/db)")
    global BENCH_DB
    # Named after the database given, so benchmarks against different databases never share
    # (and drop) one another's scratch database.
    BENCH_DB = f"{parts.path.strip('/') or 'fulcrum'}_bench_clearing"
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", "", ""))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def setup_django() -> None:
    import logging

    import django
    from django.core.management import call_command

    django.setup()
    for name in ("kombu", "celery", "amqp"):
        logging.getLogger(name).setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)


def seed_rules() -> list[Any]:
    from core.models import ParameterSet
    from core.params.services import parameter_seed_history
    from credit.defaults import PACKAGES, POLICY, REGIME
    from credit.keys import POLICY_SET, REGIME_SET, package_set_key
    from credit.services import leverage_package_define
    from settlement.keys import FEES_SET
    from settlement.schemas import FEES_SEED

    packages = []
    for order, spec in enumerate(PACKAGES):
        packages.append(
            leverage_package_define(
                code=spec["code"], name=spec["name"], display_order=(order + 1) * 10
            )
        )
        versions = [(RULES_FROM, spec["values"], "benchmark")]
        if spec["code"] == "balanced":  # a rate change on the Saturday the Friday run accrues
            versions.append(
                (RATE_CHANGE, {**spec["values"], "annual_interest_rate": "0.0700"}, "b")
            )
        parameter_seed_history(
            parameter_set=ParameterSet.objects.get(key=package_set_key(spec["code"])),
            versions=versions,
        )
    for key, values in ((REGIME_SET, REGIME), (POLICY_SET, POLICY)):
        parameter_seed_history(
            parameter_set=ParameterSet.objects.get(key=key),
            versions=[(RULES_FROM, values, "benchmark")],
        )
    parameter_seed_history(
        parameter_set=ParameterSet.objects.get(key=FEES_SET),
        versions=[(RULES_FROM, {**FEES_SEED, "service_fee_annual_rate": "0.0010"}, "benchmark")],
    )
    return packages


def make_book(packages: list[Any]) -> list[int]:
    from django.contrib.auth import get_user_model

    from accounts.enums import ClientKind, ClientStatus
    from accounts.models import Client
    from credit.enums import ApplicationStatus, CreditLineStatus
    from credit.models import CreditApplication, CreditLine
    from custody.models import MarginAccount

    opened = datetime(2025, 10, 1, 9, tzinfo=SHANGHAI)
    staff = get_user_model().objects.create(username="bench-ops", is_staff=True)
    Client.objects.bulk_create(
        [
            Client(
                client_no=f"B{n:08d}",
                kind=ClientKind.PERSON,
                display_name=f"Bench {n}",
                status=ClientStatus.ACTIVE,
            )
            for n in range(ACCOUNTS)
        ],
        batch_size=5000,
    )
    clients = list(Client.objects.order_by("pk").values_list("pk", "client_no"))
    MarginAccount.objects.bulk_create(
        [
            MarginAccount(client_id=pk, account_no=f"M{no}", opened_at=opened, bank_name="bench")
            for pk, no in clients
        ],
        batch_size=5000,
    )
    CreditApplication.objects.bulk_create(
        [
            CreditApplication(
                client_id=pk,
                status=ApplicationStatus.APPROVED,
                requested_amount=Decimal("1000000.00"),
                financial_assets=Decimal("3000000.00"),
                annual_income=Decimal("400000.00"),
                investing_experience_years=3,
                received_on=date(2025, 9, 1),
                requested_by=staff,
            )
            for pk, _no in clients
        ],
        batch_size=5000,
    )
    applications = list(CreditApplication.objects.order_by("pk").values_list("pk", "client_id"))
    CreditLine.objects.bulk_create(
        [
            CreditLine(
                client_id=client_id,
                application_id=app_id,
                limit=Decimal("1000000.00"),
                valid_from=date(2025, 9, 1),
                valid_to=date(2026, 2, 28),
                status=CreditLineStatus.ACTIVE,
                approved_at=opened,
                activated_at=opened,
            )
            for app_id, client_id in applications
        ],
        batch_size=5000,
    )
    through = CreditLine.packages.through
    lines = list(CreditLine.objects.order_by("pk").values_list("pk", flat=True))
    through.objects.bulk_create(
        [
            through(creditline_id=pk, leveragepackage_id=packages[n % len(packages)].pk)
            for n, pk in enumerate(lines)
        ],
        batch_size=10000,
    )
    return list(MarginAccount.objects.order_by("pk").values_list("pk", flat=True))


def fund_book(account_ids: list[int]) -> None:
    from custody.enums import ChartCode, EntryKind
    from custody.services.bulk import post_entries_bulk
    from custody.services.ledger import EntrySpec, Leg

    day = BUSINESS_DATE - timedelta(days=14)
    for start in range(0, len(account_ids), 50000):
        specs = []
        for n, pk in enumerate(account_ids[start : start + 50000], start):
            cash = Decimal(200000 + (n % 97) * 1000)
            principal = Decimal(100000 + (n % 89) * 5000) if n % 10 else Decimal(0)
            specs.append(
                EntrySpec(
                    f"bench-deposit-{pk}",
                    EntryKind.DEPOSIT,
                    day,
                    [Leg(ChartCode.CUSTODIAN_BANK, cash), Leg(ChartCode.CLIENT_CASH, -cash, pk)],
                )
            )
            if principal:
                specs.append(
                    EntrySpec(
                        f"bench-drawdown-{pk}",
                        EntryKind.DRAWDOWN,
                        day,
                        [
                            Leg(ChartCode.FINANCED_PRINCIPAL, principal, pk),
                            Leg(ChartCode.CLIENT_CASH, -principal, pk),
                        ],
                    )
                )
        post_entries_bulk(entries=specs)


def market(account_ids: list[int]) -> None:
    from custody.models import Position
    from markets.models import DailyBar, Instrument

    instruments = Instrument.objects.bulk_create(
        [
            Instrument(code=f"{600100 + n:06d}", exchange="XSHG", board="main", name=f"S{n}")
            for n in range(INSTRUMENTS)
        ]
    )
    bars = []
    for n, instrument in enumerate(instruments):
        close = Decimal(10 + n)
        for day in (BUSINESS_DATE - timedelta(days=1), BUSINESS_DATE):
            bars.append(
                DailyBar(
                    instrument=instrument,
                    date=day,
                    open=close,
                    high=close,
                    low=close,
                    close=close,
                    volume=Decimal(1000000),
                    source="synthetic",
                )
            )
    DailyBar.objects.bulk_create(bars)
    Position.objects.bulk_create(
        [
            Position(
                margin_account_id=pk,
                instrument=instruments[n % INSTRUMENTS],
                quantity=Decimal(1000),
                sellable_quantity=Decimal(1000),
                average_cost=Decimal(10),
            )
            for n, pk in enumerate(account_ids)
            if n % 10 == 3
        ],
        batch_size=5000,
    )


def analyze() -> None:
    """Table statistics, untimed: the benchmark server runs without autovacuum, which on a
    production server would have analysed tables that grew by a book or a night of postings."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def posting_count() -> int:
    from custody.models import Posting

    return Posting.objects.count()


def naive(account_ids: list[int]) -> float:
    """Per account: ORM reads, one post_entry per charge, a valuation and a statement row."""
    from django.db import transaction

    from core.money import quantize_money
    from credit.models import CreditLine
    from credit.rules import package_terms, regulatory_rules
    from custody.enums import ChartCode, EntryKind
    from custody.models import LedgerBalance, MarginAccount
    from custody.services.ledger import credit, debit, post_entry
    from custody.valuation import account_valuation
    from settlement.accrual import accrual_days, day_basis
    from settlement.models import ClearingRun, DailyStatement

    run = ClearingRun.objects.get(business_date=BUSINESS_DATE)
    sample = account_ids[:NAIVE_SAMPLE]
    started = time.perf_counter()
    with transaction.atomic():
        for pk in sample:
            account = MarginAccount.objects.get(pk=pk)
            row = LedgerBalance.objects.filter(
                ledger_account__margin_account=account,
                ledger_account__account_type_id=ChartCode.FINANCED_PRINCIPAL,
            ).first()
            principal = row.balance if row else Decimal(0)
            line = CreditLine.objects.filter(client_id=account.client_id).first()
            package = line.packages.order_by("display_order").first() if line else None
            if principal > 0 and package is not None:
                factor = Decimal(0)
                for day in accrual_days(BUSINESS_DATE):
                    terms = package_terms(package, day)
                    factor += terms.annual_interest_rate / day_basis(terms.day_count)
                amount = quantize_money(principal * factor)
                post_entry(
                    key=f"naive-interest-{pk}",
                    kind=EntryKind.INTEREST,
                    business_date=BUSINESS_DATE,
                    legs=[
                        debit(ChartCode.INTEREST_RECEIVABLE, amount, account),
                        credit(ChartCode.INTEREST_INCOME, amount),
                    ],
                )
                fee = quantize_money(principal * Decimal("0.0010") * 3 / 365)
                post_entry(
                    key=f"naive-fee-{pk}",
                    kind=EntryKind.FEE,
                    business_date=BUSINESS_DATE,
                    legs=[
                        debit(ChartCode.FEES_RECEIVABLE, fee, account),
                        credit(ChartCode.FEE_INCOME, fee),
                    ],
                )
            valuation = account_valuation(margin_account=account, on=BUSINESS_DATE)
            rules = regulatory_rules(BUSINESS_DATE)
            DailyStatement.objects.filter(
                margin_account=account, business_date=BUSINESS_DATE
            ).delete()
            DailyStatement.objects.create(
                margin_account=account,
                business_date=BUSINESS_DATE,
                run=run,
                credit_limit=line.limit if line else 0,
                cash=valuation.cash,
                securities_value=valuation.securities_value,
                collateral_value=valuation.securities_value,
                assets=valuation.assets,
                financed_principal=valuation.financed_principal,
                accrued_interest=valuation.accrued_interest,
                fees=valuation.fees,
                liabilities=valuation.liabilities,
                available_margin=valuation.cash,
                withdrawable=valuation.withdrawable(rules.withdrawal_min_ratio),
                maintenance_ratio=valuation.ratio,
                interest_today=0,
                fees_today=0,
            )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed * len(account_ids) / len(sample)


def show_steps(run: Any) -> None:
    for step in run.steps.order_by("position"):
        took = (step.finished_at - step.started_at).total_seconds() if step.started_at else 0
        say(
            f"  {step.key:<15} {took:6.2f} s  entries {step.entries_posted:>7}  "
            f"rows {step.rows_written:>7}  {step.details.get('totals', {})}"
        )


def main() -> None:
    prepare_database()
    setup_django()
    import time_machine

    from settlement.models import ClearingRun
    from settlement.services import clearing_run

    with time_machine.travel(datetime(2025, 11, 14, 17, tzinfo=SHANGHAI), tick=True):
        t = time.perf_counter()
        packages = seed_rules()
        ids = make_book(packages)
        fund_book(ids)
        market(ids)
        analyze()
        say(
            f"book: {len(ids)} accounts, {posting_count()} postings "
            f"({time.perf_counter() - t:.1f} s)"
        )
        # The night before, untimed: the steady state (every account's interest and fee ledger
        # accounts exist, yesterday's statements are there), as on any night but the first.
        t = time.perf_counter()
        clearing_run(business_date=PREVIOUS_DAY)
        analyze()
        say(f"previous night ({PREVIOUS_DAY}), untimed: {time.perf_counter() - t:.1f} s")

        before = posting_count()
        t = time.perf_counter()
        run = clearing_run(business_date=BUSINESS_DATE)
        run_s = time.perf_counter() - t
        after = posting_count()
        say(f"full run: {run_s:.2f} s, status {run.status}, {after - before} postings")
        show_steps(run)

        t = time.perf_counter()
        rerun = clearing_run(business_date=BUSINESS_DATE, rerun=True)
        rerun_s = time.perf_counter() - t
        new_postings = posting_count() - after
        say(f"rerun: {rerun_s:.2f} s, status {rerun.status}, {new_postings} new postings")
        show_steps(rerun)

        naive_s = naive(ids)
        say(f"naive per-account ORM: {NAIVE_SAMPLE} accounts sampled, extrapolated {naive_s:.1f} s")
        assert ClearingRun.objects.get(business_date=BUSINESS_DATE).status == "completed"  # noqa: S101

    print(
        json.dumps(
            {
                "accounts": len(ids),
                "run_s": round(run_s, 2),
                "rerun_s": round(rerun_s, 2),
                "rerun_new_postings": new_postings,
                "naive_s": round(naive_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
