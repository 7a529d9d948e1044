"""Margin engine benchmark on PostgreSQL: 100,000 accounts, 1,000,000 positions, 3,000 instruments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fulcrum_riskengine \
        .venv/bin/python benchmarks/margin_sweep.py

It never touches the database named in DATABASE_URL: it works in ``fulcrum_bench_margin_sweep`` on
the same server, generated once with COPY (clients, credit lines on the three default packages,
margin accounts, ledger balances, 3,000 instruments with a close, ten positions per account)
and reused on later runs (``BENCH_REGENERATE=1`` builds it again). Most accounts are well above
their lines; a few dozen sit below the warning or the liquidation line, so the cold sweep has
status changes to persist.

Figures: (a) cold full sweep — load the book from the database (one query per table, binary
COPY), screen, confirm with exact Decimal and persist the status changes; (b) warm full sweep on
the kept arrays (median); (c) one-instrument tick: the new price read, the holders re-evaluated
(median over different instruments); (d) the naive way — per account: the ORM, the credit
context and ``custody.valuation.account_valuation`` — on a sample, extrapolated to the book.
The last line printed is one JSON object.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "fulcrum_bench_margin_sweep"
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "100000"))
INSTRUMENTS = int(os.environ.get("BENCH_INSTRUMENTS", "3000"))
PER_ACCOUNT = int(os.environ.get("BENCH_POSITIONS_PER_ACCOUNT", "10"))
NAIVE_SAMPLE = int(os.environ.get("BENCH_NAIVE_SAMPLE", "300"))
BREACHES = int(os.environ.get("BENCH_BREACHES", "24"))
DAY = date(2026, 3, 4)  # a Wednesday
RULES_FROM = date(2026, 1, 5)
SHANGHAI = ZoneInfo("Asia/Shanghai")
SEED = 20260304


def say(text: str) -> None:
    print(text, flush=True)


def prepare_database() -> bool:
    """Point Django at the benchmark database; True when it must be generated."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("set DATABASE_URL to a PostgreSQL server (postgres://user@host:port/db)")
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    bench_url = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", "", ""))
    fresh = bool(os.environ.get("BENCH_REGENERATE"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
    if exists and not fresh:
        with psycopg.connect(bench_url) as conn:
            row = conn.execute("SELECT to_regclass('bench_margin_meta') IS NOT NULL").fetchone()
            if row and row[0]:
                meta = conn.execute("SELECT accounts, positions FROM bench_margin_meta").fetchone()
                fresh = meta is None or meta[0] != ACCOUNTS or meta[1] != ACCOUNTS * PER_ACCOUNT
            else:
                fresh = True
    else:
        fresh = True
    if fresh:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    return fresh


def setup_django(migrate: bool) -> None:
    import logging

    import django
    from django.core.management import call_command

    django.setup()
    for name in ("kombu", "celery", "amqp"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if migrate:
        call_command("migrate", verbosity=0)


# --- generation -----------------------------------------------------------------------------


def copy_objects(model: Any, objs: Iterable[Any]) -> None:
    """COPY unsaved model instances (every concrete field but an auto primary key)."""
    from django.db import connection
    from django.db.models import AutoField, BigAutoField

    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, AutoField | BigAutoField))
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
                )


def copy_text(table: str, columns: str, text: str) -> None:
    from django.db import connection

    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write(text)


def seed_rules() -> list[Any]:
    from core.models import ParameterSet
    from core.params.services import parameter_seed_history
    from credit.defaults import PACKAGES, POLICY, REGIME
    from credit.keys import POLICY_SET, REGIME_SET, package_set_key
    from credit.services import leverage_package_define

    packages = []
    for order, spec in enumerate(PACKAGES):
        packages.append(
            leverage_package_define(
                code=spec["code"], name=spec["name"], display_order=(order + 1) * 10
            )
        )
        parameter_seed_history(
            parameter_set=ParameterSet.objects.get(key=package_set_key(spec["code"])),
            versions=[(RULES_FROM, spec["values"], "benchmark")],
        )
    for key, values in ((REGIME_SET, REGIME), (POLICY_SET, POLICY)):
        parameter_seed_history(
            parameter_set=ParameterSet.objects.get(key=key),
            versions=[(RULES_FROM, values, "benchmark")],
        )
    return packages


def make_people(packages: list[Any]) -> list[int]:
    from django.contrib.auth import get_user_model

    from accounts.enums import ClientKind, ClientStatus
    from accounts.models import Client
    from credit.enums import ApplicationStatus, CreditLineStatus
    from credit.models import CreditApplication, CreditLine
    from custody.models import MarginAccount

    opened = datetime(2026, 1, 6, 9, tzinfo=SHANGHAI)
    staff = get_user_model().objects.create(username="bench-ops", is_staff=True)
    copy_objects(
        Client,
        (
            Client(
                client_no=f"B{n:08d}",
                kind=ClientKind.PERSON,
                display_name=f"Bench {n}",
                status=ClientStatus.ACTIVE,
            )
            for n in range(ACCOUNTS)
        ),
    )
    clients = list(Client.objects.order_by("pk").values_list("pk", "client_no"))
    copy_objects(
        MarginAccount,
        (
            MarginAccount(client_id=pk, account_no=f"M{no}", opened_at=opened, bank_name="bench")
            for pk, no in clients
        ),
    )
    copy_objects(
        CreditApplication,
        (
            CreditApplication(
                client_id=pk,
                status=ApplicationStatus.APPROVED,
                requested_amount=Decimal("5000000.00"),
                financial_assets=Decimal("3000000.00"),
                annual_income=Decimal("400000.00"),
                investing_experience_years=3,
                received_on=date(2026, 1, 5),
                requested_by_id=staff.pk,
            )
            for pk, _no in clients
        ),
    )
    applications = CreditApplication.objects.order_by("pk").values_list("pk", "client_id")
    copy_objects(
        CreditLine,
        (
            CreditLine(
                client_id=client_id,
                application_id=app_id,
                limit=Decimal("5000000.00"),
                valid_from=date(2026, 1, 6),
                valid_to=date(2026, 7, 5),
                status=CreditLineStatus.ACTIVE,
                approved_at=opened,
                activated_at=opened,
            )
            for app_id, client_id in applications
        ),
    )
    lines = list(CreditLine.objects.order_by("pk").values_list("pk", flat=True))
    copy_text(
        CreditLine.packages.through._meta.db_table,
        "creditline_id, leveragepackage_id",
        "".join(f"{pk}\t{packages[n % len(packages)].pk}\n" for n, pk in enumerate(lines)),
    )
    return list(MarginAccount.objects.order_by("pk").values_list("pk", flat=True))


def make_market() -> tuple[np.ndarray, np.ndarray]:
    from markets.models import DailyBar, Instrument

    rng = np.random.default_rng(SEED)
    copy_objects(
        Instrument,
        (
            Instrument(
                code=f"{600000 + n:06d}",
                exchange="XSHG",
                board="main",
                name=f"S{n}",
                index_constituent=n % 3 == 0,
                pe_ttm=Decimal("15.00"),
            )
            for n in range(INSTRUMENTS)
        ),
    )
    ids = np.array(Instrument.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64)
    prices = np.round(rng.uniform(3, 80, ids.size), 2)
    bars = io.StringIO()
    for pk, price in zip(ids.tolist(), prices.tolist(), strict=True):
        for day in (DAY - timedelta(days=1), DAY):
            bars.write(
                f"{pk}\t{day}\t{price:.2f}\t{price:.2f}\t{price:.2f}\t{price:.2f}\t1000000\t"
            )
            bars.write("synthetic\n")
    copy_text(
        DailyBar._meta.db_table,
        "instrument_id, date, open, high, low, close, volume, source",
        bars.getvalue(),
    )
    return ids, prices


def make_positions_and_money(
    account_ids: list[int], inst_ids: np.ndarray, prices: np.ndarray
) -> int:
    """Ten positions per account; cash and debt set so that the ratios spread from 145% to
    400% (a tenth of the accounts owe nothing) and ``BREACHES`` accounts sit below a line."""
    from custody.enums import ChartCode, NormalSide
    from custody.models import LedgerAccount

    rng = np.random.default_rng(SEED + 1)
    a = len(account_ids)
    accounts = np.repeat(np.arange(a), PER_ACCOUNT)
    steps = (np.arange(PER_ACCOUNT) * 293) % INSTRUMENTS
    inst = (np.repeat(np.arange(a) * 7, PER_ACCOUNT) + np.tile(steps, a)) % INSTRUMENTS
    qty = rng.integers(1, 50, accounts.size) * 100
    value = np.bincount(accounts, weights=qty * prices[inst], minlength=a)
    cash = np.round(value * rng.uniform(0.05, 0.5, a), 2)
    ratio = rng.uniform(1.45, 4.0, a)
    ratio[rng.choice(a, BREACHES, replace=False)] = np.concatenate(
        [rng.uniform(1.31, 1.39, BREACHES // 2), rng.uniform(1.05, 1.29, BREACHES - BREACHES // 2)]
    )
    debt = np.round((cash + value) / ratio, 2)
    debt[np.arange(a) % 10 == 9] = 0
    ids = np.asarray(account_ids)
    stamp = "2026-03-03 16:00:00+08"
    rows = io.StringIO()
    for acc, i, q in zip(
        ids[accounts].tolist(), inst_ids[inst].tolist(), qty.tolist(), strict=True
    ):
        rows.write(f"{acc}\t{i}\t{q}\t{q}\t0\t10\t{q * 10}\t0\t{stamp}\n")
    copy_text(
        "custody_position",
        "margin_account_id, instrument_id, quantity, sellable_quantity, pending_quantity,"
        " average_cost, total_cost, realised_pnl, updated_at",
        rows.getvalue(),
    )
    # Ledger accounts and running balances (the figures the sweep reads), debit-positive.
    text = io.StringIO()
    for pk in account_ids:
        text.write(
            f"{pk}\t{ChartCode.CLIENT_CASH}\tCNY\n{pk}\t{ChartCode.FINANCED_PRINCIPAL}\tCNY\n"
        )
    copy_text(
        LedgerAccount._meta.db_table,
        "margin_account_id, account_type_id, currency",
        text.getvalue(),
    )
    ledger = dict(
        ((m, t), pk)
        for pk, m, t in LedgerAccount.objects.filter(margin_account__isnull=False).values_list(
            "pk", "margin_account_id", "account_type_id"
        )
    )
    text = io.StringIO()
    for n, pk in enumerate(account_ids):
        cash_id = ledger[(pk, ChartCode.CLIENT_CASH)]
        debt_id = ledger[(pk, ChartCode.FINANCED_PRINCIPAL)]
        text.write(f"{cash_id}\t{-cash[n]:.2f}\t{NormalSide.CREDIT}\ttrue\t1\n")
        text.write(f"{debt_id}\t{debt[n]:.2f}\t{NormalSide.DEBIT}\tfalse\t1\n")
    copy_text(
        "custody_ledgerbalance",
        "ledger_account_id, balance, normal_side, non_negative, version",
        text.getvalue(),
    )
    return int(accounts.size)


def generate() -> None:
    from django.db import connection, transaction

    t = time.perf_counter()
    with transaction.atomic():
        packages = seed_rules()
        account_ids = make_people(packages)
        inst_ids, prices = make_market()
        positions = make_positions_and_money(account_ids, inst_ids, prices)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_margin_meta (accounts int, positions int)")
            cursor.execute("INSERT INTO bench_margin_meta VALUES (%s, %s)", [ACCOUNTS, positions])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"generated {ACCOUNTS} accounts, {positions} positions in {time.perf_counter() - t:.1f} s")


def reset_calls() -> None:
    """Every run starts from the same state: no margin calls, every client active."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE risk_marginnotification, risk_historicalmarginnotification,"
            " risk_margincalloverride, risk_historicalmargincalloverride,"
            " risk_margincall, risk_historicalmargincall, markets_quote"
        )
        cursor.execute("UPDATE accounts_client SET status = 'active' WHERE status <> 'active'")


# --- measuring -------------------------------------------------------------------------------


def naive(account_ids: list[int]) -> tuple[float, int]:
    """Per account: the ORM, the credit context and the exact valuation, one at a time."""
    from custody.credit_terms import credit_context
    from custody.models import MarginAccount
    from custody.valuation import account_valuation

    sample = account_ids[:: max(1, len(account_ids) // NAIVE_SAMPLE)][:NAIVE_SAMPLE]
    below = 0
    started = time.perf_counter()
    for pk in sample:
        account = MarginAccount.objects.select_related("client").get(pk=pk)
        context = credit_context(account.client, DAY)
        ratio = account_valuation(margin_account=account, on=DAY).ratio
        if context.terms is not None and ratio is not None and ratio < context.terms.warning_line:
            below += 1
    per_account = (time.perf_counter() - started) / len(sample)
    return per_account * len(account_ids), below


def tick_once(engine: Any, instrument_id: int, price: Decimal, n: int) -> float:
    from markets.models import Quote

    Quote.objects.create(
        instrument_id=instrument_id,
        day=DAY,
        ts=datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI) + timedelta(seconds=n),
        last=price,
        volume=Decimal(1000),
        source="synthetic",
    )
    t = time.perf_counter()
    engine.tick([instrument_id], on=DAY)
    return time.perf_counter() - t


def main() -> None:
    fresh = prepare_database()
    setup_django(migrate=True)
    if fresh:
        generate()
    from unittest import mock

    import time_machine

    from custody.models import MarginAccount
    from markets.models import DailyBar
    from risk.liquidation import tasks as liquidation_tasks
    from risk.margin import engine, tasks
    from risk.margin.models import MarginCall

    # Notifications and liquidation starts go to the broker after commit; workers send the
    # messages and plan the sales. Here the broker only accepts them (as Redis would), so the
    # figures are the engine's, not SMTP's or the liquidation desk's.
    queued: list[int] = []
    mock.patch.object(tasks.send_notifications, "delay", queued.extend).start()
    liquidations_queued: list[int] = []
    mock.patch.object(
        liquidation_tasks.liquidation_start_for_call,
        "delay",
        lambda call_id, day: liquidations_queued.append(call_id),
    ).start()
    reset_calls()
    with time_machine.travel(datetime(2026, 3, 4, 10, 30, tzinfo=SHANGHAI), tick=True):
        engine.reset()
        t = time.perf_counter()
        cold = engine.sweep(on=DAY)
        cold_s = time.perf_counter() - t
        book = engine.warm(DAY).book
        say(
            f"book: {book.size} accounts, {book.pos_account.size} positions, "
            f"{book.instrument_ids.size} instruments"
        )
        say(
            f"(a) cold sweep: {cold_s:.3f} s (load {cold.seconds['load']:.3f}, screen "
            f"{cold.seconds['screen'] * 1000:.1f} ms, act {cold.seconds['act']:.3f}) — "
            f"{cold.candidates} confirmed with exact Decimal, {len(cold.changed)} status changes "
            f"persisted, {MarginCall.objects.count()} calls, {len(queued)} notifications queued"
        )
        warm_runs = []
        for _ in range(15):
            t = time.perf_counter()
            result = engine.sweep(on=DAY, cold=False)
            warm_runs.append(time.perf_counter() - t)
        warm_ms = statistics.median(warm_runs) * 1000
        say(f"(b) warm sweep: median {warm_ms:.2f} ms over 15 ({result.candidates} candidates)")

        closes = dict(DailyBar.objects.filter(date=DAY).values_list("instrument_id", "close"))
        ticks = []
        for n, instrument_id in enumerate(
            book.instrument_ids[:: max(1, book.instrument_ids.size // 25)][:25].tolist()
        ):
            price = (closes[instrument_id] * Decimal("1.003")).quantize(Decimal("0.01"))
            ticks.append(tick_once(engine, instrument_id, price, n + 1))
        tick_ms = statistics.median(ticks) * 1000
        holders = np.diff(book.inst_indptr).mean()
        say(
            f"(c) one-instrument tick: median {tick_ms:.2f} ms over 25 "
            f"(~{holders:.0f} holders each)"
        )

        ids = list(MarginAccount.objects.order_by("pk").values_list("pk", flat=True))
        naive_s, _below = naive(ids)
        say(f"(d) naive per-account ORM: {NAIVE_SAMPLE} sampled, extrapolated {naive_s:.1f} s")

    speedup = naive_s / (warm_ms / 1000)
    cold_speedup = naive_s / cold_s
    say(f"speed-up: {speedup:,.0f}× warm, {cold_speedup:,.0f}× cold")
    print(
        json.dumps(
            {
                "accounts": int(book.size),
                "positions": int(book.pos_account.size),
                "cold_s": round(cold_s, 3),
                "warm_ms": round(warm_ms, 2),
                "tick_ms": round(tick_ms, 2),
                "naive_s": round(naive_s, 1),
                "speedup": round(speedup),
                "cold_speedup": round(cold_speedup, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
