"""Two people submitting for the same client at the same moment make one application."""

import importlib
import threading
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection

from core.exceptions import InvalidInput
from credit.models import CreditApplication
from credit.services import credit_application_submit
from tests.credit.factories import EligibleClientFactory


@pytest.fixture
def seeded_rules(transactional_db):
    """A transactional test may follow another that flushed the database: seed again."""
    seed = importlib.import_module("credit.migrations.0002_parameter_sets").seed
    seed(django_apps, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_for_one_client(seeded_rules, credit_rules, ops):
    client = EligibleClientFactory.create()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(amount: str) -> None:
        try:
            barrier.wait(timeout=10)
            credit_application_submit(
                client=client,
                requested_amount=Decimal(amount),
                packages=["balanced"],
                requested_by=ops,
                financial_assets=Decimal("2000000"),
                annual_income=Decimal("300000"),
                investing_experience_years=3,
            )
            outcomes.append("created")
        except InvalidInput as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in ("500000", "600000")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2 and outcomes.count("created") == 1
    refusal = next(o for o in outcomes if o != "created")
    assert f"client {client} already has an open credit application #" in refusal
    assert CreditApplication.objects.filter(client=client).count() == 1
