"""KYC review: complete files only, and a second person decides (maker-checker)."""

import pytest
from django_fsm_log.models import StateLog

from accounts.enums import ClientStatus, DocumentType, KycDecision
from accounts.models import KycReview
from accounts.services import (
    Upload,
    document_upload,
    kyc_reject,
    kyc_submit,
    kyc_verify,
    person_update,
)
from core.exceptions import InvalidInput, SegregationOfDutiesError
from core.models import AuditEvent
from tests.accounts.factories import PNG, complete_kyc_file, person_details, register_person

pytestmark = pytest.mark.django_db


def test_submission_needs_the_documents_and_a_bank_account(ops):
    client = register_person(ops)
    document_upload(
        client=client, doc_type=DocumentType.ID_FRONT, upload=Upload("f.png", PNG), by=ops
    )
    with pytest.raises(InvalidInput) as error:
        kyc_submit(client=client, by=ops)
    assert str(error.value) == (
        "documents: upload ID card, back, Proof of assets before submitting for review"
    )
    client.refresh_from_db()
    assert client.status == ClientStatus.DRAFT
    assert not KycReview.objects.exists()


def test_submission_consults_the_verifier_and_waits_for_manual_review(submitted):
    review = KycReview.objects.get(client=submitted)
    assert submitted.status == ClientStatus.KYC_SUBMITTED
    assert (review.verifier, review.verifier_outcome, review.decision) == (
        "manual",
        "manual",
        KycDecision.PENDING,
    )
    assert submitted.last_screened_at is not None


def test_the_person_who_entered_the_client_cannot_approve_it(submitted, ops):
    with pytest.raises(SegregationOfDutiesError) as error:
        kyc_verify(client=submitted, by=ops, risk_rating="low")
    assert "cannot approve it; another authorised colleague must decide" in str(error.value)
    submitted.refresh_from_db()
    assert submitted.status == ClientStatus.KYC_SUBMITTED
    assert KycReview.objects.get(client=submitted).decision == KycDecision.PENDING


def test_anyone_who_edited_since_submission_cannot_approve_it(submitted, ops2, compliance):
    person_update(client=submitted, details=person_details(mobile="13911112222"), by=ops2)
    with pytest.raises(SegregationOfDutiesError):
        kyc_verify(client=submitted, by=ops2, risk_rating="low")
    verified = kyc_verify(client=submitted, by=compliance, risk_rating="medium")
    assert (verified.status, verified.risk_rating) == (ClientStatus.KYC_VERIFIED, "medium")


def test_a_different_reviewer_verifies_and_it_is_logged(submitted, ops2):
    client = kyc_verify(client=submitted, by=ops2, risk_rating="low", note="ID matches")
    review = KycReview.objects.get(client=client)
    assert (review.decision, review.decided_by, review.risk_rating) == ("verified", ops2, "low")
    log = StateLog.objects.for_(client).latest("timestamp")
    assert (log.state, log.by, log.description) == ("kyc_verified", ops2, "ID matches")
    assert AuditEvent.objects.filter(action="approval", object_id=str(client.pk)).exists()


def test_rejection_needs_actionable_reasons_and_the_client_can_resubmit(submitted, ops, ops2):
    with pytest.raises(InvalidInput, match="reasons: say what the client must fix"):
        kyc_reject(client=submitted, by=ops2, reasons=["  "])
    client = kyc_reject(
        client=submitted,
        by=ops2,
        reasons=["身份证反面照片模糊，请重新上传清晰的扫描件", "The address is incomplete"],
    )
    assert client.status == ClientStatus.KYC_REJECTED
    assert KycReview.objects.get(client=client).reasons[1] == "The address is incomplete"

    # ops2 fixes the address in the new cycle, so ops (who only entered it) still may not
    # decide; ops2 now may not either.
    person_update(
        client=client, details=person_details(address="北京市朝阳区建国路 88 号 1 单元"), by=ops2
    )
    kyc_submit(client=client, by=ops2)
    with pytest.raises(SegregationOfDutiesError):
        kyc_verify(client=client, by=ops2, risk_rating="low")
    with pytest.raises(SegregationOfDutiesError):
        kyc_verify(client=client, by=ops, risk_rating="low")


def test_identity_is_locked_once_verified_but_evidence_may_follow(verified, ops):
    from core.exceptions import IllegalTransition

    with pytest.raises(IllegalTransition, match="identity details are locked once KYC is verified"):
        complete_kyc_file(verified, ops)
    with pytest.raises(IllegalTransition, match="identity details are locked"):
        document_upload(
            client=verified,
            doc_type=DocumentType.ID_BACK,
            upload=Upload("n.png", PNG + b"2"),
            by=ops,
        )
    later = document_upload(
        client=verified,
        doc_type=DocumentType.PROOF_OF_INCOME,
        upload=Upload("tax.png", PNG + b"tax"),
        by=ops,
    )
    assert later.client == verified
