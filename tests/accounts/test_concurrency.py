"""Two reviewers pressing verify at once: the row lock lets exactly one decide."""

import threading

import pytest
from django.db import connection

from accounts.enums import ClientStatus, KycDecision, StaffRole
from accounts.models import KycReview
from accounts.services import kyc_submit, kyc_verify
from core.exceptions import DomainError
from tests.accounts.factories import complete_kyc_file, register_person


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reviewers_decide_once(make_staff):
    ops = make_staff(StaffRole.OPERATIONS)
    reviewers = [make_staff(StaffRole.OPERATIONS), make_staff(StaffRole.COMPLIANCE)]
    client = complete_kyc_file(register_person(ops), ops)
    kyc_submit(client=client, by=ops)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def review(user) -> None:
        start.wait()
        try:
            kyc_verify(client=client, by=user, risk_rating="low")
            outcomes.append("verified")
        except DomainError as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=[user]) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["IllegalTransition", "verified"]
    client.refresh_from_db()
    assert (client.status, client.kyc_cycle) == (ClientStatus.KYC_VERIFIED, 2)
    assert KycReview.objects.get(client=client).decision == KycDecision.VERIFIED
