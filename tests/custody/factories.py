"""Factories for custody tests: clients ready for a margin account, and positions."""

from __future__ import annotations

from decimal import Decimal

import factory

from accounts.enums import ClientStatus
from custody.models import MarginAccount, Position
from markets.models import DailyBar, Instrument
from tests.factories import ClientFactory


class ActiveClientFactory(ClientFactory):
    status = ClientStatus.ACTIVE


class InstrumentFactory(factory.django.DjangoModelFactory[Instrument]):
    class Meta:
        model = Instrument
        django_get_or_create = ("exchange", "code")

    code = factory.Sequence(lambda n: f"{600000 + n:06d}")
    exchange = "XSHG"
    board = "main"
    name = factory.Sequence(lambda n: f"Stock {n}")


class DailyBarFactory(factory.django.DjangoModelFactory[DailyBar]):
    class Meta:
        model = DailyBar

    instrument = factory.SubFactory(InstrumentFactory)
    open = factory.SelfAttribute("close")
    high = factory.SelfAttribute("close")
    low = factory.SelfAttribute("close")
    close = Decimal("10.00")
    volume = Decimal("1000000")


class PositionFactory(factory.django.DjangoModelFactory[Position]):
    class Meta:
        model = Position

    instrument = factory.SubFactory(InstrumentFactory)
    quantity = Decimal("1000")
    sellable_quantity = factory.SelfAttribute("quantity")
    average_cost = Decimal("10.00")


def margin_account_of(account: MarginAccount) -> MarginAccount:
    return MarginAccount.objects.select_related("client").get(pk=account.pk)
