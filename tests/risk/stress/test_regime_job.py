"""The regime job on beat: the system user proposes, a risk officer approves; once a day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from core.enums import ParameterStatus
from core.exceptions import PermissionRefused
from core.models import AuditEvent, ParameterVersion
from core.params.services import parameter_change_approve
from core.schedules import declared_schedules
from core.system import SYSTEM_USERNAME, system_user
from credit.keys import REGIME_SET
from credit.services import credit_defaults_install
from markets.bars_import import bars_import_text
from markets.calendar import previous_trading_day
from risk.stress.enums import RegimeAction
from risk.stress.models import RegimeReading
from risk.stress.tasks import assess_market_regime_task
from tests.risk.stress.conftest import ASHARE

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 4)  # a Wednesday session
NATIONAL_DAY = date(2025, 10, 1)  # a Wednesday, exchange closed


def after_close(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 16, 40, tzinfo=SHANGHAI)


def stressed_history_until(day: date) -> None:
    """000001's real bars from June 2015 to the 2016-01-07 circuit-breaker close (a stressed
    reading, see test_regime_outputs), laid on the sessions ending on ``day``: the credit rules
    in force today refuse the 2016 dates, the indicator only reads the bars in order."""
    lines = (ASHARE / "000001.csv").read_text().splitlines()
    rows = [row for row in lines[1:] if "2015-06-01" <= row[:10] <= "2016-01-07"]
    sessions = [day]
    while len(sessions) < len(rows):
        sessions.append(previous_trading_day(sessions[-1]))
    shifted = [
        f"{d.isoformat()}{row[10:]}" for d, row in zip(reversed(sessions), rows, strict=True)
    ]
    bars_import_text(
        code="000001", name="Ping An Bank", text="\n".join([lines[0], *shifted]) + "\n"
    )


@pytest.fixture
def on_circuit_breaker_day(db):
    with time_machine.travel(after_close(TODAY), tick=False):
        yield


@pytest.fixture
def credit_rules(on_circuit_breaker_day, risk_officer, second_risk_officer):
    credit_defaults_install(
        maker=risk_officer,
        checker=second_risk_officer,
        effective_from=timezone.localdate(),
        reason="starting rules for the test",
    )
    stressed_history_until(TODAY)


def test_the_job_is_on_beat_after_the_close_on_weekdays():
    entry = next(s for s in declared_schedules() if s.task == "risk.assess_market_regime")
    assert (entry.hour, entry.minute, entry.day_of_week) == ("16", "40", "1-5")
    assert entry.kwargs == {}  # no person named: the system user proposes


def test_the_system_proposes_and_a_risk_officer_approves(credit_rules, second_risk_officer):
    result = assess_market_regime_task()

    assert result == {"regime": "stressed", "action": RegimeAction.PROPOSED}
    reading = RegimeReading.objects.get()
    proposal = reading.proposal
    assert proposal is not None and proposal.status == ParameterStatus.PROPOSED
    assert proposal.parameter_set.key == REGIME_SET
    assert proposal.maker is not None and proposal.maker.username == SYSTEM_USERNAME
    assert AuditEvent.objects.filter(actor=proposal.maker, action="proposal").exists()

    with pytest.raises(PermissionRefused):  # the system never approves, not even its own
        parameter_change_approve(version=proposal, checker=system_user())
    approved = parameter_change_approve(version=proposal, checker=second_risk_officer)
    assert approved.status == ParameterStatus.APPROVED
    assert approved.checker == second_risk_officer


def test_a_second_run_the_same_day_proposes_nothing_more(credit_rules):
    assess_market_regime_task()
    again = assess_market_regime_task()

    assert again == {"regime": "stressed", "action": RegimeAction.PROPOSED}
    assert RegimeReading.objects.count() == 1
    assert ParameterVersion.objects.filter(status=ParameterStatus.PROPOSED).count() == 1


def test_a_non_trading_day_does_nothing(db):
    with time_machine.travel(after_close(NATIONAL_DAY), tick=False):
        result = assess_market_regime_task()
    assert result == {"regime": "", "action": "not a trading day"}
    assert not RegimeReading.objects.exists()
    assert not ParameterVersion.objects.filter(status=ParameterStatus.PROPOSED).exists()


def test_the_system_user_cannot_log_in_and_may_only_propose(db):
    user = system_user()
    again = system_user()

    assert again.pk == user.pk
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser and user.is_active
    assert user.has_perm("core.propose_parameterversion")
    assert not user.has_perm("core.approve_parameterversion")
    assert user.get_all_permissions() == {"core.propose_parameterversion"}


def test_permissions_granted_by_hand_do_not_survive(db):
    from django.contrib.auth.models import Permission

    user = system_user()
    user.user_permissions.add(Permission.objects.get(codename="approve_parameterversion"))
    user.is_staff = True
    user.save()

    restored = system_user()
    assert not restored.is_staff
    assert not restored.has_perm("core.approve_parameterversion")


def test_the_proposal_takes_effect_the_next_day(credit_rules):
    assess_market_regime_task()
    proposal = RegimeReading.objects.get().proposal
    assert proposal is not None
    assert proposal.effective_from == TODAY + timedelta(days=1)
