"""Ledger benchmark on PostgreSQL: single transfers, the bulk posting path, and the naive way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fulcrum_custody \
        .venv/bin/python benchmarks/ledger.py

It never touches the database named in DATABASE_URL: it (re)creates ``fulcrum_bench_ledger`` on
the same server, migrates it and works there. Figures:

(a) single transfers through ``custody.services.transfers.internal_transfer`` from 4 threads (each
    with its own connection) for ~10 s: transfers/s, p50 and p99 latency. After-commit tasks are
    queued, not run (a worker runs them in production).
(b) the bulk posting path (``post_entries_bulk``, COPY + one set-based balance UPDATE) on a batch
    of 200,000 postings, timed to commit (so the deferred balance triggers are included).
(c) the naive way measured in the same run: ``JournalEntry``/``Posting.objects.create`` per row
    and a per-row balance update, on a smaller sample.

The last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "fulcrum_bench_ledger"  # replaced by <named database>_bench_ledger
THREADS = 4
SINGLE_SECONDS = float(os.environ.get("BENCH_SINGLE_SECONDS", "10"))
BULK_ENTRIES = int(os.environ.get("BENCH_BULK_ENTRIES", "100000"))  # two postings each
BULK_ACCOUNTS = 10_000
TRANSFER_ACCOUNTS = 200
NAIVE_ENTRIES = int(os.environ.get("BENCH_NAIVE_ENTRIES", "2500"))


def prepare_database() -> None:
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("set DATABASE_URL to a PostgreSQL server (postgres://user@host:port/db)")
    global BENCH_DB
    # Named after the database given, so benchmarks against different databases never share
    # (and drop) one another's scratch database.
    BENCH_DB = f"{parts.path.strip('/') or 'fulcrum'}_bench_ledger"
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", "", ""))
    os.environ.setdefault("DATABASE_POOL_MAX", "10")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    import logging

    from config.celery import app

    # Keep the output to the figures: queued after-commit tasks make the broker client chatty.
    for name in ("kombu", "celery", "amqp"):
        logging.getLogger(name).setLevel(logging.ERROR)

    app.conf.task_always_eager = False  # queue after-commit tasks; a worker would run them
    call_command("migrate", verbosity=0)


def make_accounts(count: int, prefix: str) -> list:
    from django.utils import timezone

    from accounts.enums import ClientKind, ClientStatus
    from accounts.models import Client
    from core.crypto import blind_index
    from custody.models import MarginAccount

    Client.objects.bulk_create(
        [
            Client(
                client_no=f"{prefix}{n:07d}",
                kind=ClientKind.PERSON,
                display_name=f"Bench {n}",
                status=ClientStatus.ACTIVE,
            )
            for n in range(count)
        ]
    )
    clients = Client.objects.filter(client_no__startswith=prefix).order_by("pk")
    index = blind_index("6222000000000000999")
    MarginAccount.objects.bulk_create(
        [
            MarginAccount(
                client=c,
                account_no=f"M{c.client_no}",
                opened_at=timezone.now(),
                bank_account_index=index,
                bank_name="bench",
                bank_account_masked="6222***",
            )
            for c in clients
        ]
    )
    return list(MarginAccount.objects.filter(client__client_no__startswith=prefix).order_by("pk"))


def fund_accounts(accounts: list, amount: Decimal) -> None:
    from django.utils import timezone

    from custody.enums import ChartCode, EntryKind
    from custody.services.bulk import post_entries_bulk
    from custody.services.ledger import EntrySpec, credit, debit

    post_entries_bulk(
        entries=[
            EntrySpec(
                key=f"bench-fund-{a.pk}",
                kind=EntryKind.DEPOSIT,
                business_date=timezone.localdate(),
                legs=[
                    debit(ChartCode.CUSTODIAN_BANK, amount),
                    credit(ChartCode.CLIENT_CASH, amount, a),
                ],
            )
            for a in accounts
        ]
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_single(accounts: list) -> dict:
    from django.db import connections

    from custody.services.transfers import internal_transfer

    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    errors: list[str] = []
    start = threading.Event()
    deadline = [0.0]

    def worker(n: int) -> None:
        rng = random.Random(n)
        start.wait()
        try:
            while time.perf_counter() < deadline[0]:
                source, target = rng.sample(accounts, 2)
                began = time.perf_counter()
                internal_transfer(
                    source=source,
                    target=target,
                    amount=Decimal("1.00"),
                    idempotency_key=uuid.uuid4().hex,
                    by=None,
                )
                latencies[n].append(time.perf_counter() - began)
        except Exception as exc:  # report any failure instead of losing it in a thread
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    began = time.perf_counter()
    deadline[0] = began + SINGLE_SECONDS
    start.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if errors:
        sys.exit(f"single transfers failed: {errors[0]}")
    flat = [x for per in latencies for x in per]
    return {
        "count": len(flat),
        "seconds": elapsed,
        "tps": len(flat) / elapsed,
        "p50_ms": percentile(flat, 0.50) * 1000,
        "p99_ms": percentile(flat, 0.99) * 1000,
    }


def bench_bulk(accounts: list) -> dict:
    from django.utils import timezone

    from custody.enums import ChartCode, EntryKind
    from custody.services.bulk import post_entries_bulk
    from custody.services.ledger import EntrySpec, credit, debit, resolve_accounts

    day = timezone.localdate()
    run = uuid.uuid4().hex[:8]
    # Steady state: the accounts' ledger accounts exist (created by the first night's batch).
    resolve_accounts(
        {(a.pk, ChartCode.INTEREST_RECEIVABLE.value, "CNY") for a in accounts}
        | {(None, ChartCode.INTEREST_INCOME.value, "CNY")}
    )
    specs = []
    for n in range(BULK_ENTRIES):
        account = accounts[n % len(accounts)]
        amount = Decimal(f"{(n % 997) + 1}.{n % 100:02d}")
        specs.append(
            EntrySpec(
                key=f"bench-{run}-{n}",
                kind=EntryKind.INTEREST,
                business_date=day,
                legs=[
                    debit(ChartCode.INTEREST_RECEIVABLE, amount, account),
                    credit(ChartCode.INTEREST_INCOME, amount),
                ],
                margin_account_id=account.pk,
            )
        )
    began = time.perf_counter()
    result = post_entries_bulk(entries=specs)
    elapsed = time.perf_counter() - began
    again_began = time.perf_counter()
    rerun = post_entries_bulk(entries=specs[:10_000])
    again = time.perf_counter() - again_began
    return {
        "postings": result.postings_written,
        "entries": result.entries_posted,
        "seconds": elapsed,
        "postings_per_s": result.postings_written / elapsed,
        "rerun_skipped": rerun.entries_skipped,
        "rerun_seconds": again,
    }


def bench_naive(accounts: list) -> dict:
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from custody.enums import ChartCode, EntryKind
    from custody.models import JournalEntry, LedgerBalance, Posting
    from custody.services.ledger import resolve_accounts

    day = timezone.localdate()
    keys = {(a.pk, ChartCode.INTEREST_RECEIVABLE.value, "CNY") for a in accounts}
    keys.add((None, ChartCode.INTEREST_INCOME.value, "CNY"))
    ids = resolve_accounts(keys)
    income = ids[(None, ChartCode.INTEREST_INCOME.value, "CNY")]
    run = uuid.uuid4().hex[:8]
    postings = 0
    began = time.perf_counter()
    with transaction.atomic():
        for n in range(NAIVE_ENTRIES):
            account = accounts[n % len(accounts)]
            amount = Decimal(f"{(n % 997) + 1}.{n % 100:02d}")
            entry = JournalEntry.objects.create(
                business_date=day,
                kind=EntryKind.INTEREST,
                idempotency_key=f"naive-{run}-{n}",
                fingerprint="naive",
                margin_account=account,
            )
            receivable = ids[(account.pk, ChartCode.INTEREST_RECEIVABLE.value, "CNY")]
            for ledger_account, value in ((receivable, amount), (income, -amount)):
                Posting.objects.create(entry=entry, ledger_account_id=ledger_account, amount=value)
                LedgerBalance.objects.filter(pk=ledger_account).update(balance=F("balance") + value)
                postings += 1
    elapsed = time.perf_counter() - began
    return {"postings": postings, "seconds": elapsed, "postings_per_s": postings / elapsed}


def check_ledger() -> str:
    from custody.selectors import ledger_total
    from custody.services.reconcile import ledger_differences

    differences = ledger_differences()
    total = ledger_total()
    if differences or total != 0:
        sys.exit(f"ledger inconsistent after the run: {len(differences)} differences, sum {total}")
    return "every running balance equals its postings; all balances sum to 0.00"


def main() -> None:
    prepare_database()
    setup_django()
    print(f"database {BENCH_DB}: migrated; building accounts …", flush=True)
    transfer_accounts = make_accounts(TRANSFER_ACCOUNTS, "T")
    fund_accounts(transfer_accounts, Decimal("1000000.00"))
    bulk_accounts = make_accounts(BULK_ACCOUNTS, "B")

    single = bench_single(transfer_accounts)
    bulk = bench_bulk(bulk_accounts)
    naive = bench_naive(bulk_accounts)
    verdict = check_ledger()

    rows = [
        (
            "single transfers (service, 4 threads)",
            f"{single['count']} in {single['seconds']:.1f} s",
            f"{single['tps']:.0f} transfers/s",
            f"p50 {single['p50_ms']:.1f} ms, p99 {single['p99_ms']:.1f} ms",
        ),
        (
            "bulk posting path (COPY)",
            f"{bulk['postings']} postings in {bulk['seconds']:.2f} s",
            f"{bulk['postings_per_s']:,.0f} postings/s",
            f"re-run of 10,000 entries: {bulk['rerun_skipped']} skipped in "
            f"{bulk['rerun_seconds']:.2f} s",
        ),
        (
            "naive objects.create per row",
            f"{naive['postings']} postings in {naive['seconds']:.2f} s",
            f"{naive['postings_per_s']:,.0f} postings/s",
            f"bulk is {bulk['postings_per_s'] / naive['postings_per_s']:.0f}× faster",
        ),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    print()
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
    print(verdict)
    print(
        json.dumps(
            {
                "single_tps": round(single["tps"], 1),
                "single_p99_ms": round(single["p99_ms"], 2),
                "bulk_postings_per_s": round(bulk["postings_per_s"]),
                "naive_postings_per_s": round(naive["postings_per_s"]),
            }
        )
    )


if __name__ == "__main__":
    main()
