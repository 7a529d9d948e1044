"""Console pages: runs with steps and shards, resume / rerun, breaks, statements and PDFs."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as HttpClient

from accounts.services import totp_current_code, totp_enrol
from custody.models import Posting
from settlement.models import ClearingRun, DailyStatement
from settlement.services import clearing_run
from tests.factories import DEFAULT_PASSWORD
from tests.settlement.conftest import evening

pytestmark = pytest.mark.django_db
THURSDAY = date(2026, 3, 5)


def console(user) -> HttpClient:
    totp_enrol(user=user)
    browser = HttpClient()
    response = browser.post(
        "/console/login/",
        {
            "username": user.username,
            "password": DEFAULT_PASSWORD,
            "otp_token": totp_current_code(user=user),
            "next": "/console/",
        },
    )
    assert response.status_code == 302
    return browser


@pytest.fixture
def cleared(define_package, borrower, clock) -> ClearingRun:
    borrower(define_package("p365", "0.0600", "ACT/365"))
    clock.move_to(evening(THURSDAY))
    return clearing_run(business_date=THURSDAY)


def test_every_settlement_page_opens_for_operations(cleared, ops):
    browser = console(ops)
    statement = DailyStatement.objects.get()
    pages = [
        "/console/",
        "/console/settlement/clearingrun/",
        f"/console/settlement/clearingrun/{cleared.pk}/change/",
        "/console/settlement/clearingbreak/",
        "/console/settlement/dailystatement/",
        "/console/settlement/mark/",
        f"/console/settlement/dailystatement/{statement.pk}/pdf/",
        f"/console/settlement/dailystatement/monthly/{statement.margin_account_id}/2026-03/pdf/",
    ]
    for page in pages:
        assert browser.get(page).status_code == 200, page
    detail = browser.get(f"/console/settlement/clearingrun/{cleared.pk}/change/").content.decode()
    assert "Interest accrual" in detail and "1/1" in detail
    assert "Rerun every step" in detail


def test_the_rerun_button_runs_the_date_again_and_posts_nothing(cleared, ops):
    browser = console(ops)
    before = Posting.objects.count()
    response = browser.post(
        f"/console/settlement/clearingrun/{cleared.pk}/step/", {"step": "rerun", "note": "check"}
    )
    assert response.status_code == 302
    cleared.refresh_from_db()
    assert cleared.status == "completed"
    assert Posting.objects.count() == before
