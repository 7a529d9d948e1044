"""Factories for market reference data."""

from __future__ import annotations

from decimal import Decimal

import factory

from markets.codes import classify_code
from markets.enums import InstrumentKind
from markets.models import DailyBar, Instrument, Suspension


class InstrumentFactory(factory.django.DjangoModelFactory[Instrument]):
    class Meta:
        model = Instrument
        django_get_or_create = ("exchange", "code")

    code = factory.Sequence(lambda n: f"{600000 + n:06d}")
    exchange = factory.LazyAttribute(lambda o: classify_code(o.code)[0])
    board = factory.LazyAttribute(lambda o: classify_code(o.code)[1])
    kind = InstrumentKind.STOCK
    name = factory.LazyAttribute(lambda o: f"Instrument {o.code}")
    listing_date = None


class SuspensionFactory(factory.django.DjangoModelFactory[Suspension]):
    class Meta:
        model = Suspension

    instrument = factory.SubFactory(InstrumentFactory)
    reason = "pending a major asset restructuring"


class DailyBarFactory(factory.django.DjangoModelFactory[DailyBar]):
    class Meta:
        model = DailyBar

    instrument = factory.SubFactory(InstrumentFactory)
    open = Decimal("10.00")
    high = Decimal("10.00")
    low = Decimal("10.00")
    close = Decimal("10.00")
    volume = Decimal(1_000_000)
