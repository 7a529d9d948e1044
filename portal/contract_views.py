"""Portal pages for contracts: the client reviews and signs; anyone verifies a document."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Client
from contracts.enums import ContractStatus
from contracts.selectors import contract_for_client, contracts_for_client, document_for_client
from contracts.services import contract_sign, signing_code_send
from contracts.verification import verify as verify_document
from core.context import client_ip
from core.exceptions import DomainError
from portal.selectors import client_for_user

ClientView = Callable[..., HttpResponseBase]


def client_required(view: ClientView) -> Callable[..., HttpResponseBase]:
    """Signed in with the second factor, and a client: the view gets the client record."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_verified():  # type: ignore[union-attr]
            return redirect("portal:login")
        return view(request, client_for_user(request.user), *args, **kwargs)

    return wrapped


@client_required
def contract_list(request: HttpRequest, client: Client) -> HttpResponse:
    return render(
        request,
        "portal/contracts/list.html",
        {"client": client, "contracts": contracts_for_client(client=client)},
    )


@client_required
def contract_detail(request: HttpRequest, client: Client, contract_no: str) -> HttpResponse:
    contract = contract_for_client(client=client, contract_no=contract_no)
    context = {
        "client": client,
        "contract": contract,
        "documents": list(contract.documents.order_by("pk")),
        "signable": contract.status == ContractStatus.ISSUED,
        "challenge": contract.challenges.filter(status="pending").first(),
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "portal/contracts/detail.html", context)


@require_POST
@client_required
def contract_request_code(request: HttpRequest, client: Client, contract_no: str) -> HttpResponse:
    contract = contract_for_client(client=client, contract_no=contract_no)
    try:
        challenge = signing_code_send(contract=contract, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("A six-digit code was sent to %(to)s; enter it below to sign.")
            % {"to": challenge.recipient_masked},
        )
    return redirect("portal:contract", contract_no=contract.contract_no)


@require_POST
@client_required
def contract_sign_view(request: HttpRequest, client: Client, contract_no: str) -> HttpResponse:
    contract = contract_for_client(client=client, contract_no=contract_no)
    hashes = {
        key.removeprefix("document_"): str(request.POST.get(key, ""))
        for key in request.POST
        if key.startswith("document_")
    }
    try:
        result = contract_sign(
            contract=contract,
            code=request.POST.get("code", ""),
            by=request.user,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            document_hashes=hashes,
            risk_acknowledged=request.POST.get("risk_acknowledged") == "yes",
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Contract %(no)s is signed.") % {"no": result["contract_no"]})
    return redirect("portal:contract", contract_no=contract.contract_no)


@client_required
def contract_document(
    request: HttpRequest, client: Client, contract_no: str, document_id: int
) -> FileResponse:
    document = document_for_client(client=client, contract_no=contract_no, document_id=document_id)
    return FileResponse(
        document.pdf.open("rb"),
        filename=f"{document.contract.contract_no}-{document.kind}.pdf",
        content_type="application/pdf",
    )


def verify(request: HttpRequest) -> HttpResponse:
    """Public: upload a PDF or paste its SHA-256."""
    context: dict[str, Any] = {}
    if request.method == "POST":
        try:
            context["answer"] = verify_document(
                upload=request.FILES.get("file"), sha256=request.POST.get("sha256", "")
            )
        except DomainError as error:
            context["error"] = str(error)
    return render(request, "portal/contracts/verify.html", context)
