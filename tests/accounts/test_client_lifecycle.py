import pytest
from django_fsm_log.models import StateLog

from accounts.enums import ClientStatus, StaffRole
from core.exceptions import IllegalTransition
from core.fsm import apply_transition
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_an_illegal_transition_is_refused_with_a_clear_message(make_staff):
    client = ClientFactory.create()
    operator = make_staff(StaffRole.OPERATIONS)
    with pytest.raises(IllegalTransition) as error:
        apply_transition(client, "approve_credit", by=operator, reason="skip ahead")
    assert "cannot approve credit client" in str(error.value)
    assert "while it is Draft; possible now: close, submit kyc, suspend" in str(error.value)
    client.refresh_from_db()
    assert client.status == ClientStatus.DRAFT


def test_transitions_record_who_and_why(make_staff):
    client = ClientFactory.create()
    operator = make_staff(StaffRole.OPERATIONS)
    apply_transition(client, "submit_kyc", by=operator, reason="documents uploaded")
    client.save()
    log = StateLog.objects.for_(client).get()
    assert (log.source_state, log.state, log.by, log.description) == (
        "draft",
        "kyc_submitted",
        operator,
        "documents uploaded",
    )


def test_suspension_returns_to_the_state_it_interrupted(make_staff):
    client = ClientFactory.create()
    operator = make_staff(StaffRole.COMPLIANCE)
    apply_transition(client, "submit_kyc", by=operator)
    apply_transition(client, "suspend", by=operator, reason="court order")
    assert client.status == ClientStatus.SUSPENDED
    apply_transition(client, "resume", by=operator, reason="order lifted")
    assert client.status == ClientStatus.KYC_SUBMITTED
