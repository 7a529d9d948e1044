"""A staff member signs in to the console in a real browser: password, then TOTP."""

import pytest

from accounts.enums import StaffRole
from accounts.services import totp_current_code, totp_enrol
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_console_sign_in_needs_the_code_and_shows_work_queues(live_server, page, make_staff):
    officer = make_staff(StaffRole.RISK_OFFICER)
    totp_enrol(user=officer)

    page.goto(f"{live_server.url}/console/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    wrong = "000000" if totp_current_code(user=officer) != "000000" else "111111"
    page.fill("#id_otp_token", wrong)
    page.click("input[type=submit]")
    assert "/console/login/" in page.url
    assert page.locator(".errornote").count() >= 1

    # A failed code throttles the device briefly (django-otp), as it should.
    page.wait_for_timeout(2100)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.fill("#id_otp_token", totp_current_code(user=officer))
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/console/")
    assert page.locator("#work-queues").is_visible()
    assert page.locator("#work-queues h2").inner_text().startswith("Work queues")
