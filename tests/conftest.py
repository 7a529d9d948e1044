"""Shared fixtures: staff in each role, with and without a second factor."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.enums import StaffRole
from tests.factories import StaffFactory


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests that need PostgreSQL say why they are skipped on the embedded default.
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(
            reason="needs PostgreSQL (row locks / triggers / COPY); set DATABASE_URL to run"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def make_staff(db):
    def make(role: str = StaffRole.OPERATIONS, **kwargs):
        return StaffFactory.create(role=role, **kwargs)

    return make


@pytest.fixture
def risk_officer(make_staff):
    return make_staff(StaffRole.RISK_OFFICER)


@pytest.fixture
def second_risk_officer(make_staff):
    return make_staff(StaffRole.RISK_OFFICER)


@pytest.fixture(autouse=True)
def django_db_serialized_rollback() -> bool:
    """Transactional tests restore the seeded rules (data migrations) after flushing.

    pytest-django flushes every table after a ``transaction=True`` test; without this the
    regulatory seeds (parameter sets, questionnaires) would vanish for the tests that follow.
    """
    return True
