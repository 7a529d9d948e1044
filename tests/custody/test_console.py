"""The custody console: queues on the home page, ledger browser, funding and case panels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from accounts.services import totp_current_code, totp_enrol
from custody.enums import WithdrawalStatus
from custody.models import Withdrawal
from custody.services.withdrawals import withdrawal_request
from tests.custody.conftest import fund
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


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


def test_home_page_shows_the_custody_queues_for_the_role(account, ops, ops2):
    fund(account, "100.00")
    withdrawal_request(margin_account=account, amount="10.00", idempotency_key="k", by=ops)
    page = console(ops2).get("/console/").content.decode()
    assert "Withdrawals to check" in page
    assert "Withdrawals to approve" not in page  # operations cannot approve


@pytest.mark.parametrize(
    "url",
    [
        "/console/custody/marginaccount/",
        "/console/custody/ledgeraccount/",
        "/console/custody/ledgeraccount/as-of/?on=2026-03-02",
        "/console/custody/journalentry/",
        "/console/custody/deposit/",
        "/console/custody/withdrawal/",
        "/console/custody/bankstatement/",
        "/console/custody/bankstatement/add/",
        "/console/custody/reconciliationbreak/",
        "/console/custody/fundmovement/",
        "/console/custody/paymentbatch/",
        "/console/custody/ledgeraccounttype/",
    ],
)
def test_finance_pages_open(account, finance, url):
    fund(account, "100.00")
    assert console(finance).get(url).status_code == 200


def test_entry_page_shows_postings_inline(account, finance):
    fund(account, "100.00")
    from custody.models import JournalEntry

    entry = JournalEntry.objects.get()
    page = console(finance).get(f"/console/custody/journalentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert "100.00" in page.content.decode()


def test_the_check_step_runs_the_service_and_refusals_are_messages(account, ops, ops2):
    fund(account, "100.00")
    withdrawal = withdrawal_request(
        margin_account=account, amount="10.00", idempotency_key="k", by=ops
    )
    url = f"/console/custody/withdrawal/{withdrawal.pk}/step/"
    refused = console(ops).post(url, {"step": "check"}, follow=True)
    assert "cannot approve it" in refused.content.decode()
    console(ops2).post(url, {"step": "check", "note": "ok"})
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.CHECKED


def test_a_withdrawal_requested_in_the_console_moves_money_once(account, ops):
    fund(account, "100.00")
    browser = console(ops)
    form = {"margin_account": account.pk, "amount": "25.00", "idempotency_key": "form-1"}
    browser.post("/console/custody/withdrawal/add/", form)
    browser.post("/console/custody/withdrawal/add/", form)
    assert Withdrawal.objects.get().amount == Decimal("25.00")
