"""The credit line and its contract, end to end through the real services:

eligible client → application approved → line pending contract → bundle generated and issued for
the line → client signs → line and client active; termination or expiry suspends the line; a line
that ends before signing withdraws the offer and returns the client to eligible.
"""

from datetime import date, timedelta

import pytest

from accounts.enums import ClientStatus
from contracts.credit_line_subject import CreditLineSubject
from contracts.enums import ContractStatus
from contracts.models import Contract, Signature, SigningChallenge
from contracts.services import (
    contract_for_credit_line,
    contract_issue,
    contract_new_version,
    contract_terminate,
    contracts_daily,
)
from contracts.terms_builder import build_contract_terms
from core.exceptions import IdempotencyConflict, IllegalTransition, InvalidInput, PermissionRefused
from core.models import IdempotencyRecord
from credit.enums import CreditLineStatus
from credit.models import CreditLine
from credit.services import credit_line_close, credit_lines_expire
from tests.contracts.conftest import TODAY

pytestmark = pytest.mark.django_db


def issue(line, ops, package="balanced", key="k1"):
    return contract_for_credit_line(credit_line=line, package=package, by=ops, idempotency_key=key)


def statuses(line):
    line.refresh_from_db()
    line.client.refresh_from_db()
    return line.status, line.client.status


def test_from_approved_line_to_active_client(pending_line, ops, request_code, sign):
    # Given an approved line: the client is credit approved and the line waits for a contract.
    assert statuses(pending_line) == ("pending_contract", "credit_approved")

    # When the contract is generated and issued for the line, and the client signs it.
    contract = issue(pending_line, ops)
    assert (contract.status, contract.subject_kind, contract.subject_ref) == (
        ContractStatus.ISSUED,
        "credit_line",
        str(pending_line.pk),
    )
    balanced = pending_line.packages.get(code="balanced")
    assert contract.contract_terms() == build_contract_terms(
        credit_line=pending_line, package=balanced, on=TODAY.date()
    )
    assert contract.sign_by == date(2026, 3, 17)  # signing window: 15 days
    result = sign(contract, request_code(contract))

    # Then the contract is in force (its term started today), and so are the line and client.
    assert result["status"] == ContractStatus.ACTIVE
    assert statuses(pending_line) == (CreditLineStatus.ACTIVE, ClientStatus.ACTIVE)
    assert pending_line.status_note == f"contract {contract.contract_no} signed"
    assert pending_line.activated_at is not None


def test_a_new_version_signs_again_for_the_active_line(
    pending_line, ops, request_code, sign, credit_rules
):
    first = issue(pending_line, ops)
    sign(first, request_code(first))
    terms = build_contract_terms(
        credit_line=pending_line, package=credit_rules["conservative"], on=TODAY.date()
    )
    second = contract_issue(
        contract=contract_new_version(contract=first, terms=terms, by=ops), by=ops
    )
    sign(second, request_code(second))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ContractStatus.SUPERSEDED, ContractStatus.ACTIVE)
    assert statuses(pending_line) == (CreditLineStatus.ACTIVE, ClientStatus.ACTIVE)
    # One activation of the line, one of the client: no double transitions.
    assert pending_line.history.filter(status=CreditLineStatus.ACTIVE).count() == 1
    assert pending_line.client.history.filter(status=ClientStatus.ACTIVE).count() == 1


def test_termination_suspends_the_line(pending_line, ops, request_code, sign):
    contract = issue(pending_line, ops)
    sign(contract, request_code(contract))

    contract_terminate(contract=contract, by=ops, reason="client in default")

    assert statuses(pending_line) == (CreditLineStatus.SUSPENDED, ClientStatus.ACTIVE)
    assert pending_line.status_note == (
        f"contract {contract.contract_no} terminated: client in default"
    )


def test_the_daily_job_expiring_the_contract_suspends_the_line(
    pending_line, ops, request_code, sign
):
    contract = issue(pending_line, ops)
    sign(contract, request_code(contract))

    result = contracts_daily(today=contract.term_end + timedelta(days=1))

    assert result.expired_ended == 1
    assert statuses(pending_line)[0] == CreditLineStatus.SUSPENDED
    assert pending_line.status_note == (
        f"contract {contract.contract_no} expired: term ended on {contract.term_end}"
    )
    # The automatic hold has no person behind it.
    assert pending_line.history.first().history_user is None


def test_a_retry_with_the_same_key_returns_the_same_contract(pending_line, ops):
    first = issue(pending_line, ops, key="same")
    assert issue(pending_line, ops, key="same") == first
    with pytest.raises(IdempotencyConflict):
        issue(pending_line, ops, package="conservative", key="same")
    assert Contract.objects.count() == 1


def _unchanged(line, contracts=0):
    assert statuses(line) == (CreditLineStatus.PENDING_CONTRACT, ClientStatus.CREDIT_APPROVED)
    assert Contract.objects.count() == contracts
    assert not IdempotencyRecord.objects.filter(scope="contracts.credit_line", key="k2").exists()


def test_a_second_live_contract_is_refused(pending_line, ops):
    first = issue(pending_line, ops)
    with pytest.raises(InvalidInput, match=f"already has contract {first.contract_no}"):
        issue(pending_line, ops, key="k2")
    _unchanged(pending_line, contracts=1)


def test_a_package_the_line_does_not_allow_is_refused(pending_line, ops):
    with pytest.raises(
        InvalidInput,
        match=rf"package 'aggressive' is not allowed on credit line #{pending_line.pk} "
        r"\(allowed: balanced, conservative\)",
    ):
        issue(pending_line, ops, package="aggressive", key="k2")
    _unchanged(pending_line)


def test_an_expired_line_is_refused(pending_line, ops, frozen_now):
    frozen_now.move_to("2026-09-02T10:00:00+08:00")  # the day after the last valid day
    with pytest.raises(IllegalTransition, match=rf"credit line #{pending_line.pk} .* is expired"):
        issue(pending_line, ops, key="k2")
    _unchanged(pending_line)
    credit_lines_expire(today=date(2026, 9, 2))
    with pytest.raises(IllegalTransition, match="is expired .* needs a new credit application"):
        issue(pending_line, ops, key="k2")
    assert Contract.objects.count() == 0


def test_a_closed_line_is_refused(pending_line, ops, risk_officer):
    credit_line_close(credit_line=pending_line, by=risk_officer, reason="client declined")
    with pytest.raises(IllegalTransition, match=rf"credit line #{pending_line.pk} .* is closed"):
        issue(pending_line, ops, key="k2")
    assert statuses(pending_line) == ("closed", "eligible")
    assert Contract.objects.count() == 0


def test_an_active_line_is_not_papered_twice(pending_line, ops, request_code, sign):
    contract = issue(pending_line, ops)
    sign(contract, request_code(contract))
    with pytest.raises(IllegalTransition, match="is active, not waiting for a contract"):
        issue(pending_line, ops, key="k2")
    assert Contract.objects.count() == 1


def test_only_people_who_issue_contracts_may_generate(pending_line, make_staff):
    with pytest.raises(PermissionRefused, match="may not generate contracts"):
        issue(pending_line, make_staff("risk_officer"), key="k2")
    _unchanged(pending_line)


def test_a_line_closed_before_signing_withdraws_the_offer(
    pending_line, ops, risk_officer, request_code, sign
):
    contract = issue(pending_line, ops)

    credit_line_close(credit_line=pending_line, by=risk_officer, reason="client declined")

    # The client is eligible again, and the offer can no longer be signed or even coded.
    assert statuses(pending_line) == (CreditLineStatus.CLOSED, ClientStatus.ELIGIBLE)
    refusal = (
        f"contract {contract.contract_no} can no longer be signed: credit line "
        f"#{pending_line.pk} closed"
    )
    with pytest.raises(IllegalTransition, match=refusal):
        request_code(contract)
    assert SigningChallenge.objects.count() == 0
    # The daily job withdraws it.
    assert contracts_daily(today=TODAY.date()).withdrawn == 1
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXPIRED
    assert contract.end_reason == f"withdrawn: credit line #{pending_line.pk} closed"
    assert contracts_daily(today=TODAY.date()).withdrawn == 0


def test_line_expiry_before_signing_returns_the_client_to_eligible(pending_line, ops):
    contract = issue(pending_line, ops)

    assert credit_lines_expire(today=date(2026, 9, 2)) == [pending_line.pk]

    assert statuses(pending_line) == (CreditLineStatus.EXPIRED, ClientStatus.ELIGIBLE)
    assert contracts_daily(today=date(2026, 9, 2)).withdrawn == 1
    contract.refresh_from_db()
    assert (contract.status, contract.end_reason) == (
        ContractStatus.EXPIRED,
        f"withdrawn: credit line #{pending_line.pk} expired",
    )


def test_a_line_ended_behind_the_offer_leaves_nothing_signed(pending_line, ops, request_code, sign):
    contract = issue(pending_line, ops)
    code = request_code(contract)
    # The line ends between the code and the signature (e.g. a concurrent console action).
    CreditLine.objects.filter(pk=pending_line.pk).update(status=CreditLineStatus.CLOSED)

    with pytest.raises(IllegalTransition, match="can no longer be signed"):
        sign(contract, code)

    contract.refresh_from_db()
    assert contract.status == ContractStatus.ISSUED
    assert not Signature.objects.filter(contract=contract).exists()
    assert SigningChallenge.objects.get(contract=contract).status == "pending"
    assert statuses(pending_line) == (CreditLineStatus.CLOSED, ClientStatus.CREDIT_APPROVED)


def test_the_subject_refuses_to_activate_an_ended_line(pending_line, ops):
    contract = issue(pending_line, ops)
    CreditLine.objects.filter(pk=pending_line.pk).update(status=CreditLineStatus.EXPIRED)
    with pytest.raises(
        IllegalTransition,
        match=rf"credit line #{pending_line.pk} is expired; contract {contract.contract_no} can "
        "no longer put it into force",
    ):
        CreditLineSubject().on_signed(contract, contract.client.user)
    assert CreditLineSubject().ended(contract) == f"credit line #{pending_line.pk} expired"
