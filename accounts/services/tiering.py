"""Client tiers from dated rules: the first tier (best first) whose minimums the client meets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts import rules
from accounts.enums import ClientKind
from accounts.models import Client, InstitutionProfile, PersonProfile


def _facts(client: Client) -> tuple[Decimal, int]:
    profile: PersonProfile | InstitutionProfile | None
    if client.kind == ClientKind.PERSON:
        profile = PersonProfile.objects.filter(client=client).first()
    else:
        profile = InstitutionProfile.objects.filter(client=client).first()
    if profile is None:
        return Decimal(0), 0
    return profile.financial_assets, profile.investment_experience_years


def tier_for(client: Client, on: date) -> str:
    assets, years = _facts(client)
    level = int(client.suitability_level[1]) if client.suitability_level else 0
    _, table = rules.tier_rules(on)
    for rule in table:
        if (
            client.kind in rule.kinds
            and assets >= rule.assets_min
            and years >= rule.experience_years_min
            and level >= int(rule.level_min[1])
        ):
            return rule.code
    return ""


@transaction.atomic
def client_tier_refresh(*, client: Client, on: date) -> str:
    """(Re)compute ``Client.tier`` from the rules in force on ``on``."""
    tier = tier_for(client, on)
    if tier != client.tier:
        client.tier = tier
        client.save(update_fields=["tier", "updated_at"])
    return tier


def tiers_recompute_all(*, on: date) -> int:
    changed = 0
    for pk in Client.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            client = Client.objects.select_for_update().get(pk=pk)
            before = client.tier
            if client_tier_refresh(client=client, on=on) != before:
                changed += 1
    return changed
