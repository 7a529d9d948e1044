"""Statement PDFs, rendered on demand and kept while the data they show is unchanged.

Nothing is rendered at night: the first download renders (WeasyPrint, CJK font), stores the
bytes with a fingerprint of the figures shown; later downloads return the stored PDF unless a
rerun changed the figures (or the renderer changed), in which case it is rendered again.
"""

from __future__ import annotations

import hashlib
import json
from calendar import monthrange
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from contracts.rendering.pdf import render_pdf
from core.exceptions import InvalidInput
from core.money import ZERO
from custody.models import MarginAccount
from settlement.models import DailyStatement, StatementDocument
from settlement.models.statements import STATEMENT_FIGURES

RENDERER = "fulcrum-statements/1"


@dataclass(frozen=True)
class MonthlyStatement:
    """A month summarised from the daily statements."""

    margin_account_id: int
    account_no: str
    client_name: str
    month: str  # YYYY-MM
    first_day: date
    last_day: date
    days: int
    interest_total: Decimal
    fees_total: Decimal
    opening_liabilities: Decimal
    closing: dict[str, Any]
    lowest_ratio: Decimal | None
    daily: list[dict[str, Any]]


def _figures(statement: DailyStatement) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(statement, name) for name in STATEMENT_FIGURES}
    data["business_date"] = statement.business_date
    data["currency"] = statement.currency
    data["package"] = statement.package
    return data


def monthly_statement(*, margin_account: MarginAccount, month: date) -> MonthlyStatement:
    first = month.replace(day=1)
    last = month.replace(day=monthrange(month.year, month.month)[1])
    rows = list(
        DailyStatement.objects.filter(
            margin_account=margin_account, business_date__range=(first, last)
        ).order_by("business_date")
    )
    if not rows:
        raise InvalidInput(
            f"account {margin_account.account_no} has no daily statement in {first:%Y-%m}",
            field="month",
        )
    ratios = [r.maintenance_ratio for r in rows if r.maintenance_ratio is not None]
    return MonthlyStatement(
        margin_account_id=margin_account.pk,
        account_no=margin_account.account_no,
        client_name=margin_account.client.display_name,
        month=f"{first:%Y-%m}",
        first_day=rows[0].business_date,
        last_day=rows[-1].business_date,
        days=len(rows),
        interest_total=sum((r.interest_today for r in rows), ZERO),
        fees_total=sum((r.fees_today for r in rows), ZERO),
        opening_liabilities=rows[0].liabilities - rows[0].interest_today - rows[0].fees_today,
        closing=_figures(rows[-1]),
        lowest_ratio=min(ratios) if ratios else None,
        daily=[_figures(r) for r in rows],
    )


def _fingerprint(data: Any) -> str:
    body = json.dumps(data, default=str, sort_keys=True)
    return hashlib.sha256(f"{RENDERER}|{body}".encode()).hexdigest()


@transaction.atomic
def _document(
    *, key: str, account: MarginAccount, template: str, context: dict[str, Any]
) -> StatementDocument:
    fingerprint = _fingerprint(context)
    existing = StatementDocument.objects.select_for_update().filter(key=key).first()
    if existing is not None and existing.data_sha256 == fingerprint:
        return existing
    html = render_to_string(template, context)
    pdf = render_pdf(html, identifier=key)
    document, _created = StatementDocument.objects.update_or_create(
        key=key,
        defaults={
            "margin_account": account,
            "data_sha256": fingerprint,
            "pdf": pdf.content,
            "pdf_sha256": pdf.sha256,
            "renderer": RENDERER,
            "rendered_at": timezone.now(),
        },
    )
    return document


def statement_pdf(*, statement: DailyStatement) -> StatementDocument:
    account = MarginAccount.objects.select_related("client").get(pk=statement.margin_account_id)
    context = {
        "account_no": account.account_no,
        "client_name": account.client.display_name,
        "s": _figures(statement),
    }
    return _document(
        key=f"daily:{account.pk}:{statement.business_date.isoformat()}",
        account=account,
        template="settlement/statement_pdf.html",
        context=context,
    )


def monthly_statement_pdf(*, margin_account: MarginAccount, month: date) -> StatementDocument:
    summary = monthly_statement(margin_account=margin_account, month=month)
    return _document(
        key=f"monthly:{margin_account.pk}:{summary.month}",
        account=margin_account,
        template="settlement/monthly_pdf.html",
        context={"m": asdict(summary)},
    )
