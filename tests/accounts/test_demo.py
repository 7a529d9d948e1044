"""The demo seeds clients in every onboarding state, twice without duplicates, and the queues
show them."""

import pytest
from django.utils import timezone

from accounts import demo, selectors
from accounts.enums import ClientStatus
from accounts.models import Client, KycReview, ScreeningCase
from core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_onboarding_state_and_is_idempotent():
    for _ in range(2):
        demo.seed(DemoContext(today=timezone.localdate(), log=lambda _line: None))

    statuses = set(Client.objects.values_list("status", flat=True))
    assert statuses == {
        ClientStatus.DRAFT,
        ClientStatus.KYC_SUBMITTED,
        ClientStatus.KYC_REJECTED,
        ClientStatus.KYC_VERIFIED,
        ClientStatus.SUITABILITY_ASSESSED,
        ClientStatus.ELIGIBLE,
    }
    assert Client.objects.count() == 13
    eligible = Client.objects.filter(status=ClientStatus.ELIGIBLE)
    assert set(eligible.values_list("suitability_level", flat=True)) == {
        "C1",
        "C2",
        "C3",
        "C4",
        "C5",
    }
    assert set(eligible.values_list("tier", flat=True)) == {"standard", "premium", "institutional"}
    assert Client.objects.filter(partner__isnull=False).count() == 1
    rejected = KycReview.objects.get(decision="rejected")
    assert "upload a clear scan" in rejected.reasons[0]
    assert list(ScreeningCase.objects.values_list("client__display_name", "status")) == [
        ("周建平", "open")
    ]
    today = timezone.localdate()
    assert selectors.kyc_waiting().count() == 2
    assert selectors.open_cases().count() == 1
    assert list(selectors.reassessment_due(today).values_list("display_name", flat=True)) == [
        "冯丽"
    ]
