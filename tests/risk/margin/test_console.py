"""The risk monitor, the margin-call pages and the portal's margin-call card."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from risk.margin import engine
from risk.margin.enums import OverrideStatus
from risk.margin.models import MarginCall, MarginCallOverride
from tests.custody.test_console import console
from tests.risk.margin.conftest import quote
from tests.settlement.test_statements import portal_login


def test_the_monitor_shows_ratios_calls_exposure_and_an_empty_liquidation_section(
    account, a600, risk_officer
):
    quote(a600, "3.50")
    engine.sweep(closing=True)
    page = console(risk_officer).get(reverse("admin:risk_monitor"))
    assert page.status_code == 200
    html = page.content.decode()
    assert account.account_no in html
    assert "1.3500" in html  # the account's ratio, lowest first
    assert "No liquidation in flight." in html
    assert "600000" in html  # exposure per instrument


def test_the_monitor_is_empty_safe(db, risk_officer):
    page = console(risk_officer).get(reverse("admin:risk_monitor"))
    assert page.status_code == 200
    assert "No open margin call." in page.content.decode()


def test_an_override_is_requested_on_the_call_page_and_decided_by_another(
    account, a600, risk_officer, second_risk_officer
):
    quote(a600, "3.50")
    engine.sweep(closing=True)
    call = MarginCall.objects.get()
    browser = console(risk_officer)
    browser.post(
        reverse("admin:risk_margincall_changelist"),
        {
            "action": "request_override",
            "_selected_action": [call.pk],
            "kind": "extend_deadline",
            "until": "2026-03-06",
            "reason": "transfer in progress",
        },
    )
    override = MarginCallOverride.objects.get()
    own = browser.post(
        reverse("admin:risk_margincalloverride_decide", args=[override.pk]),
        {"_approve": "1", "decision_note": "fine"},
    )
    assert own.status_code == 302
    override.refresh_from_db()
    assert override.status == OverrideStatus.PENDING

    console(second_risk_officer).post(
        reverse("admin:risk_margincalloverride_decide", args=[override.pk]),
        {"_approve": "1", "decision_note": "fine"},
    )
    override.refresh_from_db()
    call.refresh_from_db()
    assert override.status == OverrideStatus.APPROVED
    assert str(call.due_on) == "2026-03-06"


def test_the_portal_shows_the_client_their_open_call(account, a600):
    quote(a600, "3.50")
    engine.sweep(closing=True)
    http = HttpClient()
    account.client.refresh_from_db()  # the call moved the client to MARGIN_CALL
    portal_login(http, account.client)
    html = http.get(reverse("portal:home")).content.decode()
    assert "Margin call" in html
    assert "CNY 25000.00" in html
    assert "2026-03-04" in html
