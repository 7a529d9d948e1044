"""Row locks for credit services, always taken client first, then application, then line."""

from __future__ import annotations

from accounts.models import Client
from credit.models import CreditApplication, CreditLine


def client_for_update(pk: int) -> Client:
    return Client.objects.select_for_update().get(pk=pk)


def application_for_update(pk: int) -> CreditApplication:
    return (
        CreditApplication.objects.select_for_update(of=("self",))
        .select_related("client", "requested_by")
        .get(pk=pk)
    )


def line_for_update(pk: int) -> CreditLine:
    return CreditLine.objects.select_for_update(of=("self",)).select_related("client").get(pk=pk)
