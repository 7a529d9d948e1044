"""Row locks for accounts services, always taken in primary-key order."""

from __future__ import annotations

from accounts.models import Client, ScreeningCase


def client_for_update(client: Client | int) -> Client:
    pk = client if isinstance(client, int) else client.pk
    return Client.objects.select_for_update().get(pk=pk)


def case_for_update(case: ScreeningCase | int) -> ScreeningCase:
    pk = case if isinstance(case, int) else case.pk
    return ScreeningCase.objects.select_for_update().select_related("client", "entry").get(pk=pk)
