"""The trading console: what-if form, order entry, the record pages, financing requests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.enums import StaffRole
from custody.enums import FinancingRequestStatus, OrderStatus
from custody.models import FinancingRequest, Order
from custody.selectors import natural_balances
from tests.custody.test_console import console
from tests.custody.trading import fill, make_trader, stock, submit

pytestmark = pytest.mark.usefixtures("credit_rules")
D = Decimal


@pytest.fixture
def account(make_staff):
    return make_trader(make_staff, cash="100000")


def ticket(account, **overrides):
    data = {
        "margin_account": account.pk,
        "instrument": "600000",
        "side": "buy",
        "order_type": "limit",
        "quantity": "12000",
        "limit_price": "10.00",
        "idempotency_key": "console-1",
    }
    data.update(overrides)
    return data


def test_the_what_if_form_shows_reasons_and_ratios(make_staff, account):
    stock("600000")
    browser = console(make_staff(StaffRole.RISK_OFFICER))

    query = {k: v for k, v in ticket(account).items() if k != "idempotency_key"}
    page = browser.get("/console/custody/order/what-if/", query).content.decode()
    assert "All checks pass" in page
    assert "5.98886072" in page and "2.3377" in page  # ratio after, warning-line price

    refused = browser.get(
        "/console/custody/order/what-if/", {**query, "quantity": "150", "limit_price": "11.005"}
    ).content.decode()
    assert "price 11.005 is off the 0.01 tick" in refused
    assert "buy quantity 150 must be a multiple of 100 shares" in refused
    assert not Order.objects.exists()


def test_operations_enter_an_order_and_see_it_with_its_fills(make_staff, account):
    stock("600000")
    browser = console(make_staff(StaffRole.OPERATIONS))
    assert "Enter an order" in browser.get("/console/custody/order/").content.decode()

    response = browser.post("/console/custody/order/enter/", ticket(account))

    order = Order.objects.get()
    assert order.status == OrderStatus.ACCEPTED and order.channel == "ops"
    assert response.status_code == 302
    fill(order, 12000, "10.00")
    for url in (
        f"/console/custody/order/{order.pk}/change/",
        f"/console/custody/fill/?margin_account__id__exact={account.pk}",
        f"/console/custody/position/?margin_account__id__exact={account.pk}",
        f"/console/custody/marginaccount/{account.pk}/change/",
        "/console/custody/financingmovement/",
    ):
        assert browser.get(url).status_code == 200, url
    positions = browser.get(
        f"/console/custody/position/?margin_account__id__exact={account.pk}"
    ).content.decode()
    assert "120037.20" in positions or "120,037.20" in positions


def test_a_drawdown_request_within_the_limit_is_executed_at_once(make_staff, account):
    ops = make_staff(StaffRole.OPERATIONS)
    small = console(ops).post(
        "/console/custody/financingrequest/add/",
        {"margin_account": account.pk, "kind": "draw", "amount": "1000", "idempotency_key": "a"},
    )
    assert small.status_code == 302
    assert FinancingRequest.objects.get().status == FinancingRequestStatus.EXECUTED
    assert natural_balances(account)["financed_principal"] == D("1000.00")


def test_a_request_above_the_limit_needs_a_different_approver(make_staff, account):
    from core.models import ParameterVersion

    ParameterVersion.objects.filter(parameter_set__key="custody-trading").update(
        values={
            "financing_second_approval_above": "500.00",
            "concentration_below_ratio": "3.00",
            "simulator_participation": "0.10",
        }
    )
    ops, finance = make_staff(StaffRole.OPERATIONS), make_staff(StaffRole.FINANCE)
    console(ops).post(
        "/console/custody/financingrequest/add/",
        {"margin_account": account.pk, "kind": "draw", "amount": "1000", "idempotency_key": "b"},
    )
    request = FinancingRequest.objects.get()
    assert (request.status, request.needs_second_person) == (FinancingRequestStatus.PENDING, True)
    assert "Financing requests to approve" in console(finance).get("/console/").content.decode()
    assert "financed_principal" not in natural_balances(account)

    console(finance).post(
        f"/console/custody/financingrequest/{request.pk}/decide/",
        {"_approve": "1", "decision_note": "ok"},
    )

    request.refresh_from_db()
    assert request.status == FinancingRequestStatus.EXECUTED and request.decided_by == finance
    assert natural_balances(account)["financed_principal"] == D("1000.00")
    assert submit(account, stock("600000"), "buy", 100, "10.00").accepted
