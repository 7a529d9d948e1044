"""The console admits staff only with a password and a second factor."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP

from accounts.enums import StaffRole
from accounts.services import totp_current_code, totp_enrol, user_deactivate
from core.models import AuditEvent
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/console/login/"


def login(client: HttpClient, username: str, otp: str = "", password: str = DEFAULT_PASSWORD):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "otp_token": otp, "next": "/console/"},
    )


@pytest.fixture
def officer(make_staff):
    user = make_staff(StaffRole.RISK_OFFICER)
    enrolment = totp_enrol(user=user)
    user.backup_codes = enrolment.backup_codes
    return user


def test_right_password_without_a_second_factor_is_refused(client, officer):
    response = login(client, officer.username, otp="")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/console/").status_code == 302


def test_a_staff_member_with_no_device_cannot_enter(client, make_staff):
    user = make_staff(StaffRole.OPERATIONS)
    response = login(client, user.username, otp="123456")
    assert response.status_code == 200
    assert client.get("/console/").status_code == 302


def test_password_and_current_code_open_the_console(client, officer):
    response = login(client, officer.username, otp=totp_current_code(user=officer))
    assert response.status_code == 302
    page = client.get("/console/")
    assert page.status_code == 200
    assert "Work queues" in page.content.decode()
    assert AuditEvent.objects.filter(action="login", actor_repr=officer.username).exists()


def test_a_wrong_code_is_refused_counted_and_audited(client, officer):
    code = totp_current_code(user=officer)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = login(client, officer.username, otp=wrong)
    assert response.status_code == 200
    assert client.get("/console/").status_code == 302
    failed = AuditEvent.objects.filter(action="login_failed", actor_repr=officer.username)
    assert failed.count() == 1
    assert failed.get().details == {"reason": "second factor"}
    # The code itself never reaches the audit trail.
    assert wrong not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_a_backup_code_works_once(client, officer):
    code = officer.backup_codes[0]
    assert login(client, officer.username, otp=code).status_code == 302
    client.logout()
    assert login(client, officer.username, otp=code).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_with_a_clear_message(client, officer):
    for _ in range(3):
        login(client, officer.username, password="wrong password!!")
    response = login(client, officer.username, otp=totp_current_code(user=officer))
    assert response.status_code == 429
    assert "locked after too many failed sign-in attempts" in response.content.decode()
    assert AuditEvent.objects.filter(action="locked_out").exists()


def test_staff_sessions_end_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_disabling_a_user_ends_their_sessions(client, officer, make_staff):
    login(client, officer.username, otp=totp_current_code(user=officer))
    assert client.get("/console/").status_code == 200
    admin = make_staff(StaffRole.ADMINISTRATOR)

    ended = user_deactivate(user=officer, by=admin, reason="left the firm")

    assert ended == 1
    assert not Session.objects.exists()
    assert client.get("/console/").status_code == 302
    assert AuditEvent.objects.filter(action="user_disabled", object_id=str(officer.pk)).exists()


def test_totp_codes_follow_the_enrolled_secret(officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=officer)
    expected = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    assert totp_current_code(user=officer) == f"{expected:06d}"


def test_the_portal_login_page_renders(client):
    assert client.get(reverse("portal:login")).status_code == 200
