"""Runs: one per date, reruns post nothing, a crash resumed equals an uninterrupted run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import InvalidInput
from custody.models import JournalEntry, LedgerBalance, Posting
from settlement.enums import RunStatus, StepStatus
from settlement.models import ClearingRun, ClearingShard, ClearingStep, DailyStatement
from settlement.services import ClearingStepFailed, clearing_run, runs
from settlement.services.runs import clearing_run_open, execute_run_inline
from tests.settlement.conftest import FRIDAY, evening

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: the transaction in flight is lost, nothing is recorded."""


@pytest.fixture
def book(define_package, change_rate, borrower, clock, monkeypatch):
    """Five borrowers in three shards of two, on two packages, Friday evening."""
    p365 = define_package("p365", "0.0600", "ACT/365")
    p360 = define_package("p360", "0.0550", "ACT/360")
    change_rate("p365", "0.0720", date(2026, 3, 7))
    accounts = [
        borrower(p365, principal="1000000.00"),
        borrower(p360, principal="250000.00"),
        borrower(p365, principal="0", cash="1000.00"),
        borrower(p360, principal="777777.77"),
        borrower(None, principal="50000.00"),
    ]
    original = runs.shard_bounds
    monkeypatch.setattr(runs, "shard_bounds", lambda size: original(2))
    clock.move_to(evening(FRIDAY))
    return accounts


def snapshot() -> dict[str, Any]:
    balances = {
        (b.ledger_account.margin_account_id, b.ledger_account.account_type_id): b.balance
        for b in LedgerBalance.objects.select_related("ledger_account")
    }
    statements = sorted(
        DailyStatement.objects.values_list(
            "margin_account_id", "liabilities", "assets", "available_margin", "interest_today"
        )
    )
    return {
        "balances": balances,
        "statements": statements,
        "entries": sorted(JournalEntry.objects.values_list("idempotency_key", "fingerprint")),
    }


def clean_run_snapshot() -> dict[str, Any]:
    with transaction.atomic():
        clearing_run(business_date=FRIDAY)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_one_run_per_date_is_held_by_the_database(book):
    run = clearing_run_open(business_date=FRIDAY)
    assert clearing_run_open(business_date=FRIDAY) == run
    with pytest.raises(IntegrityError), transaction.atomic():
        ClearingRun.objects.create(business_date=FRIDAY)


def test_non_trading_and_future_days_are_refused(book):
    with pytest.raises(InvalidInput, match="2026-03-07 is not an XSHG trading day"):
        clearing_run(business_date=date(2026, 3, 7))
    with pytest.raises(InvalidInput, match="2026-03-09 has not happened yet"):
        clearing_run(business_date=date(2026, 3, 9))
    assert not ClearingRun.objects.exists()


def test_a_run_completes_every_step_and_shard(book):
    run = clearing_run(business_date=FRIDAY)
    assert run.status == RunStatus.COMPLETED
    steps = list(run.steps.order_by("position").values_list("key", "status"))
    assert steps == [
        ("marks", "done"),
        ("interest", "done"),
        ("fees", "done"),
        ("settle_trades", "done"),
        ("margin_status", "done"),
        ("statements", "done"),
        ("reconciliation", "done"),
        ("report", "done"),
    ]
    assert ClearingShard.objects.filter(step__run=run, done=False).count() == 0
    assert run.steps.get(key="interest").shards_total == 3
    assert DailyStatement.objects.filter(business_date=FRIDAY).count() == 5
    assert run.report["steps"]["interest"]["entries_posted"] == 4  # the one without debt: none


def test_a_rerun_posts_nothing(book):
    run = clearing_run(business_date=FRIDAY)
    before = snapshot()
    postings = Posting.objects.count()
    rerun = clearing_run(business_date=FRIDAY, rerun=True)
    assert rerun.status == RunStatus.COMPLETED
    assert Posting.objects.count() == postings
    assert rerun.steps.get(key="interest").entries_posted == 0
    assert snapshot() == before
    assert clearing_run(business_date=FRIDAY).pk == run.pk  # a completed date is left alone


def test_a_worker_killed_mid_run_resumes_to_the_balances_of_an_uninterrupted_run(book):
    expected = clean_run_snapshot()
    assert not ClearingRun.objects.exists()

    def kill(stage: str, key: str, shard_no: int | None) -> None:
        if (stage, key, shard_no) in {
            ("after_commit", "interest", 1),
            ("before_commit", "fees", 0),
        }:
            raise WorkerKilled(f"{stage} {key} {shard_no}")

    runs.checkpoint = kill
    try:
        with pytest.raises(WorkerKilled, match="after_commit interest 1"):
            clearing_run(business_date=FRIDAY)
        run = ClearingRun.objects.get()
        assert run.status == RunStatus.RUNNING  # nobody recorded anything: the worker died
        interest = run.steps.get(key="interest")
        assert list(interest.shards.filter(done=True).values_list("shard_no", flat=True)) == [0, 1]
        with pytest.raises(WorkerKilled, match="before_commit fees 0"):
            clearing_run(business_date=FRIDAY)
        assert not run.steps.get(key="fees").shards.filter(done=True).exists()
    finally:
        runs.checkpoint = None
    finished = clearing_run(business_date=FRIDAY)
    assert finished.status == RunStatus.COMPLETED
    assert snapshot() == expected


def test_a_failing_step_stops_the_run_and_says_where(book, monkeypatch):
    from settlement.steps import fees

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("fee table unreadable")

    monkeypatch.setattr(fees, "post_entries_bulk", broken)
    with pytest.raises(ClearingStepFailed) as failure:
        clearing_run(business_date=FRIDAY)
    run = ClearingRun.objects.get()
    first, last = run.shard_bounds[0]
    message = f"step 'fees' failed in shard 0 (accounts #{first}–#{last}): fee table unreadable"
    assert str(failure.value) == message
    assert run.status == RunStatus.FAILED
    assert run.error == message
    assert run.steps.get(key="fees").status == StepStatus.FAILED
    assert run.steps.get(key="interest").status == StepStatus.DONE
    assert not run.steps.filter(key="statements", status=StepStatus.DONE).exists()
    # Fixed, the run resumes where it stopped and posts each charge once.
    monkeypatch.undo()
    book_rerun = clearing_run(business_date=FRIDAY)
    assert book_rerun.status == RunStatus.COMPLETED
    assert JournalEntry.objects.filter(idempotency_key__startswith="interest:").count() == 4


def test_celery_tasks_run_the_shards_as_a_group_and_chord_onwards(book):
    from settlement.tasks import clearing_start_task

    result = clearing_start_task.delay(FRIDAY.isoformat()).get()
    run = ClearingRun.objects.get(pk=result["run"])
    assert run.status == RunStatus.COMPLETED
    assert set(ClearingStep.objects.filter(run=run).values_list("status", flat=True)) == {"done"}
    skipped = clearing_start_task.delay("2026-03-07").get()
    assert skipped == {"business_date": "2026-03-07", "skipped": "not a trading day"}


def test_inline_execution_of_a_completed_run_changes_nothing(book):
    run = clearing_run(business_date=FRIDAY)
    before = Posting.objects.count()
    execute_run_inline(run_id=run.pk)
    assert Posting.objects.count() == before
    assert Decimal(run.report["steps"]["interest"]["totals"]["interest"]) > 0
