from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import StaffRole
from core import params
from core.enums import ParameterStatus
from core.exceptions import (
    InvalidInput,
    ParameterMissing,
    PermissionRefused,
    SegregationOfDutiesError,
)
from core.models import AuditEvent, ParameterSet, ParameterVersion
from core.params.services import (
    parameter_change_approve,
    parameter_change_propose,
    parameter_change_reject,
)

pytestmark = pytest.mark.django_db


def trading_rules() -> ParameterSet:
    return ParameterSet.objects.get(key="ashare-trading")


def current_values() -> dict:
    return dict(params.version_in_force("ashare-trading", timezone.localdate()).values)


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (date(2015, 6, 1), "0.001"),
        (date(2023, 8, 27), "0.001"),
        (date(2023, 8, 28), "0.0005"),
        (date(2026, 1, 5), "0.0005"),
    ],
)
def test_stamp_duty_in_force_on_a_date(day, rate):
    assert params.value("ashare-trading", "stamp_duty_rate", day) == Decimal(rate)


def test_st_limit_changes_on_2026_07_06():
    assert params.value("ashare-trading", "limit_st_main", date(2026, 7, 5)) == Decimal("0.05")
    assert params.value("ashare-trading", "limit_st_main", date(2026, 7, 6)) == Decimal("0.10")


def test_no_value_before_the_first_version():
    with pytest.raises(ParameterMissing, match="no approved 'ashare-trading' parameters"):
        params.value("ashare-trading", "stamp_duty_rate", date(2014, 12, 31))


def test_values_are_typed():
    snap = params.snapshot("ashare-trading", date(2024, 1, 2))
    assert snap["lot_size"] == 100
    assert isinstance(snap["commission_min"], Decimal)


def propose(maker, *, days_ahead=7, **changes):
    values = {**current_values(), **changes}
    return parameter_change_propose(
        parameter_set=trading_rules(),
        effective_from=timezone.localdate() + timedelta(days=days_ahead),
        values=values,
        maker=maker,
        reason="test change",
    )


def test_a_change_approved_by_its_maker_is_refused(risk_officer):
    version = propose(risk_officer, commission_min="4.00")
    with pytest.raises(SegregationOfDutiesError, match="cannot approve it"):
        parameter_change_approve(version=version, checker=risk_officer)
    version.refresh_from_db()
    assert version.status == ParameterStatus.PROPOSED
    assert version.checker is None


def test_a_change_takes_effect_only_once_another_person_approves(risk_officer, second_risk_officer):
    version = propose(risk_officer, days_ahead=3, commission_min="4.00")
    effective = version.effective_from
    assert params.value("ashare-trading", "commission_min", effective) == Decimal("5.00")

    parameter_change_approve(version=version, checker=second_risk_officer)

    assert params.value("ashare-trading", "commission_min", effective) == Decimal("4.00")
    assert params.value(
        "ashare-trading", "commission_min", effective - timedelta(days=1)
    ) == Decimal("5.00")
    assert AuditEvent.objects.filter(action="approval", object_id=str(version.pk)).exists()


def test_rejection_needs_a_reason_and_leaves_rules_unchanged(risk_officer, second_risk_officer):
    version = propose(risk_officer, commission_min="4.00")
    with pytest.raises(InvalidInput, match="say why"):
        parameter_change_reject(version=version, checker=second_risk_officer, note="  ")
    parameter_change_reject(version=version, checker=second_risk_officer, note="too low")
    version.refresh_from_db()
    assert version.status == ParameterStatus.REJECTED
    with pytest.raises(Exception, match="already rejected"):
        parameter_change_approve(version=version, checker=second_risk_officer)


def test_bad_values_are_refused_with_the_field_and_nothing_is_saved(risk_officer):
    before = ParameterVersion.objects.count()
    with pytest.raises(InvalidInput, match="stamp_duty_rate: 0.5 is above the maximum 0.01"):
        propose(risk_officer, stamp_duty_rate="0.5")
    with pytest.raises(InvalidInput, match="lot_size: 'many' is not a whole number"):
        propose(risk_officer, lot_size="many")
    assert ParameterVersion.objects.count() == before


def test_history_cannot_be_rewritten(risk_officer):
    with pytest.raises(InvalidInput, match="in the past"):
        propose(risk_officer, days_ahead=-1, commission_min="4.00")


def test_people_without_the_role_cannot_propose(make_staff):
    operations = make_staff(StaffRole.OPERATIONS)
    with pytest.raises(PermissionRefused):
        propose(operations, commission_min="4.00")


def test_the_database_refuses_an_approval_without_two_people(risk_officer):
    version = propose(risk_officer, commission_min="4.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParameterVersion.objects.filter(pk=version.pk).update(
            status=ParameterStatus.APPROVED, checker=risk_officer
        )
