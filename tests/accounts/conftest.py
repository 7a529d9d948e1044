"""Onboarding fixtures: staff in the roles that take part, documents stored in a temp folder."""

from __future__ import annotations

import pytest

from accounts.enums import StaffRole
from accounts.services import kyc_submit, kyc_verify
from tests.accounts.factories import complete_kyc_file, register_person


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ops(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def ops2(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def compliance(make_staff):
    return make_staff(StaffRole.COMPLIANCE)


@pytest.fixture
def submitted(ops):
    client = complete_kyc_file(register_person(ops), ops)
    kyc_submit(client=client, by=ops)
    client.refresh_from_db()
    return client


@pytest.fixture
def verified(submitted, ops2):
    return kyc_verify(client=submitted, by=ops2, risk_rating="low")
