"""After signing: terminated or expired contracts stop their subject; the daily job is
idempotent; signatures are final."""

from datetime import date

import pytest
from django.core.management import call_command

from contracts.enums import ContractStatus
from contracts.models import Contract
from contracts.services import contract_terminate, contracts_daily
from contracts.tasks import contracts_daily_task
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.schedules import declared_schedules

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_contract(issued_contract, request_code, sign):
    sign(issued_contract, request_code(issued_contract))
    return Contract.objects.get(pk=issued_contract.pk)


def test_termination_stops_the_subject(active_contract, subject, ops):
    contract = contract_terminate(
        contract=active_contract, by=ops, reason="client closed the account"
    )
    assert contract.status == ContractStatus.TERMINATED
    assert contract.end_reason == "client closed the account"
    assert subject.terminated == [("FC2026000001-01", ops)]


def test_termination_needs_a_reason_and_the_permission(active_contract, subject, ops, make_staff):
    with pytest.raises(InvalidInput, match="say why the contract is terminated"):
        contract_terminate(contract=active_contract, by=ops, reason="")
    with pytest.raises(PermissionRefused):
        contract_terminate(contract=active_contract, by=make_staff("finance"), reason="x")
    active_contract.refresh_from_db()
    assert active_contract.status == ContractStatus.ACTIVE
    assert subject.terminated == []


def test_an_unsigned_contract_cannot_be_terminated(issued_contract, ops):
    with pytest.raises(IllegalTransition, match="cannot terminate contract FC2026000001-01 while"):
        contract_terminate(contract=issued_contract, by=ops, reason="changed our mind")


def test_the_term_end_expires_the_contract_and_stops_the_subject(active_contract, subject):
    assert contracts_daily(today=date(2026, 8, 31)).expired_ended == 0
    result = contracts_daily(today=date(2026, 9, 1))
    assert result.expired_ended == 1
    active_contract.refresh_from_db()
    assert active_contract.status == ContractStatus.EXPIRED
    assert active_contract.end_reason == "term ended on 2026-08-31"
    assert subject.terminated == [("FC2026000001-01", None)]
    assert contracts_daily(today=date(2026, 9, 2)).expired_ended == 0


def test_unsigned_offers_expire_after_the_window_once(issued_contract, subject, capsys):
    call_command("contracts_daily", "--date", "2026-03-17")
    issued_contract.refresh_from_db()
    assert issued_contract.status == ContractStatus.ISSUED
    call_command("contracts_daily", "--date", "2026-03-18")
    assert "expired unsigned: 1;" in capsys.readouterr().out
    issued_contract.refresh_from_db()
    assert issued_contract.status == ContractStatus.EXPIRED
    assert subject.terminated == []  # it never was in force
    call_command("contracts_daily", "--date", "2026-03-19")
    assert "expired unsigned: 0;" in capsys.readouterr().out


def test_a_signature_is_final(active_contract):
    signature = active_contract.signature
    signature.user_agent = "forged"
    with pytest.raises(IllegalTransition, match="is final and cannot change"):
        signature.save()


def test_the_pdf_check_command_reports_each_document(real_render, active_contract, capsys):
    call_command("contracts_check_pdfs", active_contract.contract_no)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "FC2026000001-01 margin_contract: ok",
        "FC2026000001-01 risk_disclosure: ok",
        "FC2026000001-01 custody_agreement: ok",
    ]


def test_the_daily_task_runs_the_daily_service(issued_contract, frozen_now):
    frozen_now.move_to("2026-03-18T00:10:00+08:00")
    result = contracts_daily_task.delay().get()
    assert result == {"expired_unsigned": 1, "activated": 0, "expired_ended": 0, "withdrawn": 0}


def test_the_daily_job_is_scheduled_after_credit_expires_lines():
    jobs = {s.task: s for s in declared_schedules()}
    daily, lines = jobs["contracts.daily"], jobs["credit.expire_lines"]
    assert (daily.hour, daily.minute) == ("0", "30")
    assert (int(lines.hour), int(lines.minute)) < (int(daily.hour), int(daily.minute))
