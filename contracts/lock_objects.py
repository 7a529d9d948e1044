"""Row locks for contract services, always taken in the same order: client, then contracts by
primary key, then signing codes — so two services never wait on each other in a circle.
"""

from __future__ import annotations

from accounts.models import Client
from contracts.models import Contract, ContractSequence, SigningChallenge


def client_for_update(client_id: int) -> Client:
    return Client.objects.select_for_update().get(pk=client_id)


def contract_for_update(contract_id: int) -> Contract:
    return Contract.objects.select_for_update().select_related("client").get(pk=contract_id)


def contracts_for_update(ids: list[int]) -> list[Contract]:
    return list(
        Contract.objects.select_for_update()
        .select_related("client")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def sequence_for_update(year: int) -> ContractSequence:
    ContractSequence.objects.get_or_create(year=year)
    return ContractSequence.objects.select_for_update().get(year=year)


def latest_challenge_for_update(contract_id: int) -> SigningChallenge | None:
    return (
        SigningChallenge.objects.select_for_update()
        .filter(contract_id=contract_id)
        .order_by("-created_at", "-id")
        .first()
    )
