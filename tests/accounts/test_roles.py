import pytest

from accounts.enums import StaffRole

pytestmark = pytest.mark.django_db


def test_auditor_reads_everything_and_changes_nothing(make_staff):
    auditor = make_staff(StaffRole.AUDITOR)
    perms = auditor.get_all_permissions()
    assert "core.view_auditevent" in perms
    assert "markets.view_instrument" in perms
    assert all(p.split(".")[1].startswith("view_") or p == "core.export_auditevent" for p in perms)


def test_operations_cannot_approve_rule_changes(make_staff):
    operations = make_staff(StaffRole.OPERATIONS)
    assert not operations.has_perm("core.approve_parameterversion")
    assert operations.has_perm("accounts.add_client")


def test_risk_officer_can_propose_and_approve_rules(make_staff):
    officer = make_staff(StaffRole.RISK_OFFICER)
    assert officer.has_perm("core.propose_parameterversion")
    assert officer.has_perm("core.approve_parameterversion")
    assert not officer.has_perm("accounts.change_user")


def test_every_role_exists_as_a_group(make_staff):
    from django.contrib.auth.models import Group

    make_staff(StaffRole.OPERATIONS)
    assert set(Group.objects.values_list("name", flat=True)) >= {str(r.label) for r in StaffRole}
