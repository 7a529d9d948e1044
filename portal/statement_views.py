"""Portal pages for statements: the signed-in client's own accounts only."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Client
from core.exceptions import DomainError
from portal.contract_views import client_required
from settlement.selectors import (
    statement_for_client,
    statement_months_for_client,
    statements_for_client,
)
from settlement.services import monthly_statement_pdf, statement_pdf


def _pdf(content: bytes | memoryview, name: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@client_required
def statement_list(request: HttpRequest, client: Client) -> HttpResponse:
    statements = statements_for_client(client=client).select_related("margin_account")[:90]
    return render(
        request,
        "portal/statements/list.html",
        {
            "client": client,
            "statements": statements,
            "months": statement_months_for_client(client=client),
        },
    )


@client_required
def statement_download(request: HttpRequest, client: Client, statement_id: int) -> HttpResponse:
    statement = statement_for_client(client=client, statement_id=statement_id)
    document = statement_pdf(statement=statement)
    return _pdf(document.pdf, f"statement-{statement.business_date}.pdf")


@client_required
def monthly_download(request: HttpRequest, client: Client, month: str) -> HttpResponse:
    account = getattr(client, "margin_account", None)
    if account is None:
        raise Http404("no margin account")
    try:
        first = date.fromisoformat(f"{month}-01")
        document = monthly_statement_pdf(margin_account=account, month=first)
    except (ValueError, DomainError) as exc:
        raise Http404("no statement for that month") from exc
    return _pdf(document.pdf, f"statement-{month}.pdf")
