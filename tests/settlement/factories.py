"""Factories for settlement tests: credit lines bound to a package, without the whole workflow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from credit.enums import ApplicationStatus, CreditLineStatus
from credit.models import CreditApplication, CreditLine, LeveragePackage
from tests.factories import StaffFactory


class ApplicationFactory(factory.django.DjangoModelFactory[CreditApplication]):
    class Meta:
        model = CreditApplication

    status = ApplicationStatus.APPROVED
    requested_amount = Decimal("2000000.00")
    financial_assets = Decimal("5000000.00")
    annual_income = Decimal("500000.00")
    investing_experience_years = 3
    received_on = date(2026, 1, 5)
    requested_by = factory.SubFactory(StaffFactory)


class CreditLineFactory(factory.django.DjangoModelFactory[CreditLine]):
    class Meta:
        model = CreditLine
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory, client=factory.SelfAttribute("..client"))
    limit = Decimal("2000000.00")
    valid_from = date(2026, 1, 5)
    valid_to = date(2026, 7, 4)
    status = CreditLineStatus.ACTIVE
    approved_at = factory.LazyFunction(timezone.now)
    activated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def packages(
        self, create: bool, extracted: list[LeveragePackage] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.packages.set(extracted)
