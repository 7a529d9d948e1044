"""Factories for the credit tests: eligible clients and instruments."""

from __future__ import annotations

from decimal import Decimal

import factory

from accounts.enums import ClientStatus, InvestorType, RiskRating, SuitabilityLevel
from markets.enums import Board, Exchange, InstrumentKind
from markets.models import Instrument
from tests.factories import ClientFactory


class EligibleClientFactory(ClientFactory):
    """A client who has cleared KYC, suitability and screening (status set at creation)."""

    status = ClientStatus.ELIGIBLE
    suitability_level = SuitabilityLevel.C4
    investor_type = InvestorType.ORDINARY
    risk_rating = RiskRating.LOW
    tier = "standard"


class InstrumentFactory(factory.django.DjangoModelFactory[Instrument]):
    class Meta:
        model = Instrument

    code = factory.Sequence(lambda n: f"{600000 + n:06d}")
    exchange = Exchange.XSHG
    board = Board.MAIN
    kind = InstrumentKind.STOCK
    name = factory.Sequence(lambda n: f"Stock {n}")
    pe_ttm = Decimal("15.00")
