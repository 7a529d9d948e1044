"""Reads for the console and the portal (the portal's always scoped to the signed-in client)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from settlement.enums import ClearingBreakStatus, RunStatus
from settlement.models import ClearingBreak, ClearingRun, DailyStatement


def failed_runs() -> QuerySet[ClearingRun]:
    return ClearingRun.objects.filter(status=RunStatus.FAILED)


def open_breaks() -> QuerySet[ClearingBreak]:
    return ClearingBreak.objects.filter(status=ClearingBreakStatus.OPEN)


def statements_for_client(*, client: Any) -> QuerySet[DailyStatement]:
    return DailyStatement.objects.filter(margin_account__client=client).order_by("-business_date")


def statement_for_client(*, client: Any, statement_id: int) -> DailyStatement:
    statement = statements_for_client(client=client).filter(pk=statement_id).first()
    if statement is None:
        raise Http404("no such statement on your accounts")
    return statement


def statement_months_for_client(*, client: Any) -> list[date]:
    return [d for d in statements_for_client(client=client).dates("business_date", "month", "DESC")]
