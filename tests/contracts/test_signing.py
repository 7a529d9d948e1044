"""Signing with a one-time code: the happy path records everything and activates the subject;
every refusal says why and leaves nothing signed and nothing activated."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django_fsm_log.models import StateLog

from accounts.enums import ClientStatus
from contracts.enums import ChallengeStatus, ContractStatus
from contracts.models import Contract, Signature, SigningChallenge
from contracts.services import (
    contract_bundle_generate,
    contract_issue,
    contract_new_version,
    contracts_daily,
    signing_code_send,
)
from core.exceptions import IdempotencyConflict, IllegalTransition, InvalidInput, PermissionRefused
from core.models import AuditEvent
from tests.contracts.factories import ContractTermsFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_nothing_signed(contract: Contract, subject, status=ContractStatus.ISSUED) -> None:
    contract.refresh_from_db()
    contract.client.refresh_from_db()
    assert contract.status == status
    assert not Signature.objects.filter(contract=contract).exists()
    assert subject.signed == []
    assert contract.client.status == ClientStatus.CREDIT_APPROVED


def test_signing_records_everything_and_activates(issued_contract, subject, request_code, sign):
    code = request_code(issued_contract)
    result = sign(issued_contract, code)
    contract = Contract.objects.get(pk=issued_contract.pk)
    assert result == {
        "contract_no": "FC2026000001-01",
        "status": "active",
        "signed_at": "2026-03-02T02:00:00+00:00",
    }
    assert contract.status == ContractStatus.ACTIVE
    signature = contract.signature
    assert signature.signed_by == contract.client.user
    assert (signature.ip_address, signature.user_agent) == ("203.0.113.7", "Mozilla/5.0 (test)")
    assert signature.document_hashes == {d.kind: d.sha256 for d in contract.documents.all()}
    assert signature.risk_acknowledged is True
    assert signature.challenge.status == ChallengeStatus.USED
    assert subject.signed == [("FC2026000001-01", contract.client.user)]
    contract.client.refresh_from_db()
    assert contract.client.status == ClientStatus.ACTIVE
    steps = list(StateLog.objects.for_(contract.client).values_list("transition", flat=True))
    assert steps[-2:] == ["sign_contract", "activate"]
    assert code not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_a_replayed_signing_request_returns_the_first_answer(
    issued_contract, subject, request_code, sign
):
    code = request_code(issued_contract)
    first = sign(issued_contract, code, idempotency_key="portal-form-1")
    again = sign(issued_contract, code, idempotency_key="portal-form-1")
    assert again == first
    assert Signature.objects.count() == 1
    assert len(subject.signed) == 1
    with pytest.raises(IdempotencyConflict):
        sign(issued_contract, code, idempotency_key="portal-form-1", risk_acknowledged=False)


def test_a_wrong_code_is_refused_counted_and_activates_nothing(
    issued_contract, subject, request_code, sign
):
    code = request_code(issued_contract)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(InvalidInput, match="^the code is wrong; 4 attempts left$"):
        sign(issued_contract, wrong)
    assert_nothing_signed(issued_contract, subject)
    challenge = SigningChallenge.objects.get(contract=issued_contract)
    assert (challenge.attempts, challenge.status) == (1, ChallengeStatus.PENDING)
    denied = AuditEvent.objects.get(action="permission_denied", object_id=str(issued_contract.pk))
    assert denied.details == {"event": "signing_code_wrong", "attempt": 1}


def test_too_many_wrong_codes_block_the_code(issued_contract, subject, request_code, sign):
    code = request_code(issued_contract)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(InvalidInput, match=f"{left} attempt"):
            sign(issued_contract, wrong)
    with pytest.raises(InvalidInput, match="^the code is wrong and no attempts are left; ask for"):
        sign(issued_contract, wrong)
    with pytest.raises(InvalidInput, match="^too many wrong codes: this code is blocked; ask for"):
        sign(issued_contract, code)
    assert_nothing_signed(issued_contract, subject)
    assert SigningChallenge.objects.get().status == ChallengeStatus.LOCKED
    # A fresh code works again.
    assert sign(issued_contract, request_code(issued_contract))["status"] == "active"


def test_an_expired_code_is_refused(issued_contract, subject, request_code, sign, frozen_now):
    code = request_code(issued_contract)
    frozen_now.shift(timedelta(minutes=10, seconds=1))
    with pytest.raises(InvalidInput, match="^the code expired at 10:10:00; ask for a new code$"):
        sign(issued_contract, code)
    assert_nothing_signed(issued_contract, subject)


def test_a_used_code_cannot_be_used_again(issued_contract, subject, request_code, sign):
    code = request_code(issued_contract)
    sign(issued_contract, code)
    with pytest.raises(InvalidInput, match="^this one-time code was already used at 10:00:00"):
        sign(issued_contract, code)
    assert Signature.objects.count() == 1
    assert len(subject.signed) == 1


def test_a_newer_code_replaces_the_older_one(
    issued_contract, subject, request_code, sign, frozen_now
):
    first = request_code(issued_contract)
    with pytest.raises(InvalidInput, match="a code was sent at 10:00:00; wait 60 seconds"):
        request_code(issued_contract)
    frozen_now.shift(timedelta(seconds=61))
    second = request_code(issued_contract)
    if first != second:
        with pytest.raises(InvalidInput, match="the code is wrong"):
            sign(issued_contract, first)
    statuses = list(SigningChallenge.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [ChallengeStatus.CANCELLED, ChallengeStatus.PENDING]
    assert sign(issued_contract, second)["status"] == "active"


def test_an_expired_contract_cannot_be_signed(
    issued_contract, subject, request_code, sign, frozen_now
):
    code = request_code(issued_contract)
    frozen_now.move_to("2026-03-18T09:00:00+08:00")
    message = "contract FC2026000001-01 could be signed until 2026-03-17 and has expired"
    with pytest.raises(IllegalTransition, match=message):
        sign(issued_contract, code)
    assert_nothing_signed(issued_contract, subject)
    contracts_daily()
    with pytest.raises(IllegalTransition, match=message):
        sign(issued_contract, code)
    with pytest.raises(IllegalTransition, match=message):
        request_code(issued_contract)
    assert_nothing_signed(issued_contract, subject, status=ContractStatus.EXPIRED)


def test_a_superseded_contract_cannot_be_signed(issued_contract, subject, request_code, sign, ops):
    code = request_code(issued_contract)
    newer = contract_new_version(
        contract=issued_contract, terms=issued_contract.contract_terms(), by=ops
    )
    contract_issue(contract=newer, by=ops)
    with pytest.raises(
        IllegalTransition, match="replaced by FC2026000001-02; review and sign that"
    ):
        sign(issued_contract, code)
    assert_nothing_signed(issued_contract, subject, status=ContractStatus.SUPERSEDED)


def test_a_refusing_subject_rolls_the_signature_back(issued_contract, subject, request_code, sign):
    subject.refuse_with = InvalidInput("credit line 42 is not waiting for a contract")
    code = request_code(issued_contract)
    with pytest.raises(InvalidInput, match="credit line 42 is not waiting for a contract"):
        sign(issued_contract, code)
    assert_nothing_signed(issued_contract, subject)
    # The code was not consumed: the client can sign once the subject is ready.
    assert SigningChallenge.objects.get().status == ChallengeStatus.PENDING
    subject.refuse_with = None
    assert sign(issued_contract, code)["status"] == "active"


def test_a_contract_whose_subject_nobody_handles_cannot_be_signed(
    frozen_now, approved_client, terms, ops, request_code, sign
):
    contract = contract_bundle_generate(
        client=approved_client, terms=terms, by=ops, subject_kind="securities_loan", subject_ref="7"
    )
    contract_issue(contract=contract, by=ops)
    with pytest.raises(InvalidInput, match="contracts about 'securities_loan' cannot be signed"):
        sign(contract, request_code(contract))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ISSUED


def test_only_the_client_may_ask_for_a_code_or_sign(issued_contract, subject, request_code, sign):
    stranger = UserFactory.create()
    with pytest.raises(PermissionRefused, match="only the client named in contract"):
        signing_code_send(contract=issued_contract, by=stranger)
    code = request_code(issued_contract)
    with pytest.raises(PermissionRefused):
        sign(issued_contract, code, by=stranger)
    assert_nothing_signed(issued_contract, subject)


def test_the_risk_disclosure_must_be_acknowledged(issued_contract, subject, request_code, sign):
    with pytest.raises(InvalidInput, match="confirm that you have read and understood the risk"):
        sign(issued_contract, request_code(issued_contract), risk_acknowledged=False)
    assert_nothing_signed(issued_contract, subject)


def test_the_client_signs_the_documents_on_file(issued_contract, subject, request_code, sign):
    hashes = {d.kind: d.sha256 for d in issued_contract.documents.all()}
    hashes["risk_disclosure"] = "0" * 64
    with pytest.raises(InvalidInput, match="the documents you reviewed are not the ones on file"):
        sign(issued_contract, request_code(issued_contract), document_hashes=hashes)
    assert_nothing_signed(issued_contract, subject)


def test_the_default_provider_emails_the_code_and_keeps_only_its_hash(
    issued_contract, django_capture_on_commit_callbacks
):
    user = issued_contract.client.user
    with django_capture_on_commit_callbacks(execute=True):
        challenge = signing_code_send(contract=issued_contract, by=user)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "FC2026000001-01" in message.subject
    code = next(w for w in message.body.replace(".", " ").split() if w.isdigit() and len(w) == 6)
    assert code not in challenge.code_hash
    assert challenge.recipient_masked == f"{user.email[0]}***@fulcrum.example"
    assert (challenge.max_attempts, challenge.expires_at - challenge.created_at) == (
        5,
        timedelta(minutes=10),
    )
    sent = AuditEvent.objects.get(
        object_id=str(issued_contract.pk), details__event="signing_code_sent"
    )
    assert sent.details["sent_to"] == challenge.recipient_masked
    assert code not in str(sent.details)
    assert not hasattr(challenge.history.model, "code_hash")


def test_nothing_is_sent_when_the_request_is_refused(
    issued_contract, django_capture_on_commit_callbacks
):
    issued_contract.client.user.email = ""
    issued_contract.client.user.save()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(InvalidInput, match="no email address is registered"),
    ):
        signing_code_send(contract=issued_contract, by=issued_contract.client.user)
    assert mail.outbox == []
    assert not SigningChallenge.objects.exists()


def test_a_new_version_of_an_active_contract_replaces_it_when_signed(
    issued_contract, subject, request_code, sign, ops
):
    sign(issued_contract, request_code(issued_contract))
    terms = issued_contract.contract_terms()
    newer = contract_new_version(
        contract=issued_contract, terms=terms.replace(credit_limit=terms.credit_limit * 2), by=ops
    )
    contract_issue(contract=newer, by=ops)
    issued_contract.refresh_from_db()
    assert issued_contract.status == ContractStatus.ACTIVE  # in force until the new one is signed
    sign(newer, request_code(newer))
    issued_contract.refresh_from_db()
    newer.refresh_from_db()
    assert (issued_contract.status, newer.status) == ("superseded", "active")
    assert [no for no, _by in subject.signed] == ["FC2026000001-01", "FC2026000001-02"]
    assert subject.terminated == []


def test_a_contract_starting_later_comes_into_force_on_its_start_date(
    frozen_now, approved_client, ops, subject, request_code, sign
):
    terms = ContractTermsFactory.build(
        client_no=approved_client.client_no, term_start=date(2026, 3, 9), term_end=date(2026, 9, 8)
    )
    contract = contract_bundle_generate(
        client=approved_client, terms=terms, by=ops, subject_kind=subject.kind
    )
    contract_issue(contract=contract, by=ops)
    assert sign(contract, request_code(contract))["status"] == "signed"
    approved_client.refresh_from_db()
    assert approved_client.status == ClientStatus.CONTRACT_SIGNED
    assert contracts_daily(today=terms.term_start - timedelta(days=1)).activated == 0
    assert contracts_daily(today=terms.term_start).activated == 1
    contract.refresh_from_db()
    approved_client.refresh_from_db()
    assert (contract.status, approved_client.status) == ("active", "active")
