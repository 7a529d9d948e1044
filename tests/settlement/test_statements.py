"""Statements against hand-computed figures; PDFs with Chinese text; the portal shows own only."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.services import totp_current_code, totp_enrol
from custody.models import Position
from settlement.models import DailyStatement, StatementDocument
from settlement.services import (
    clearing_run,
    monthly_statement,
    monthly_statement_pdf,
    statement_pdf,
)
from tests.custody.factories import DailyBarFactory, InstrumentFactory
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.settlement.conftest import evening

pytestmark = pytest.mark.django_db
THURSDAY = date(2026, 3, 5)


@pytest.fixture
def statement(define_package, borrower, clock) -> DailyStatement:
    # 3,000,000 deposited, 1,000,000 drawn at 6.00% ACT/365, 1,000 shares closing at 10.00
    package = define_package("p365", "0.0600", "ACT/365")
    account = borrower(package, principal="1000000.00", cash="3000000.00")
    instrument = InstrumentFactory.create()
    DailyBarFactory.create(instrument=instrument, date=THURSDAY, close=Decimal("10.00"))
    Position.objects.create(
        margin_account=account, instrument=instrument, quantity=1000, sellable_quantity=1000
    )
    clock.move_to(evening(THURSDAY))
    clearing_run(business_date=THURSDAY)
    return DailyStatement.objects.get(margin_account=account, business_date=THURSDAY)


def test_statement_fields_match_the_hand_computation(statement):
    s = statement
    assert s.credit_limit == Decimal("2000000.00")
    assert s.cash == Decimal("4000000.00")
    assert s.securities_value == Decimal("10000.00")
    # balanced haircut for another A-share: 60% (under the 65% cap)
    assert s.collateral_value == Decimal("6000.00")
    assert s.assets == Decimal("4010000.00")
    # one day: 1,000,000 × 0.06 / 365 = 164.383… → 164.38
    assert s.interest_today == Decimal("164.38")
    assert s.accrued_interest == Decimal("164.38")
    assert s.fees == Decimal("0.00")
    assert s.liabilities == Decimal("1000164.38")
    # 4,010,000 / 1,000,164.38 = 4.009340…
    assert s.maintenance_ratio == Decimal("4.009341")
    # cash + collateral − principal × 1.25 (1 ÷ max financing 0.80) − interest − fees
    assert s.available_margin == Decimal("2755835.62")
    # assets − 300% × liabilities = 4,010,000 − 3,000,493.14
    assert s.withdrawable == Decimal("1009506.86")


def test_the_monthly_statement_summarises_the_days(statement, clock):
    clock.move_to(evening(date(2026, 3, 6)))
    clearing_run(business_date=date(2026, 3, 6))
    month = monthly_statement(margin_account=statement.margin_account, month=date(2026, 3, 1))
    # Friday: 3 days × 164.383… = 493.15
    assert month.interest_total == Decimal("164.38") + Decimal("493.15")
    assert month.days == 2
    assert month.closing["liabilities"] == Decimal("1000657.53")


def test_the_pdf_is_rendered_once_with_chinese_text_and_again_only_when_figures_change(statement):
    document = statement_pdf(statement=statement)
    text = PdfReader(io.BytesIO(bytes(document.pdf))).pages[0].extract_text()
    assert "融资融券日对账单" in text
    assert "维持担保比例" in text
    assert "1009506.86" in text
    again = statement_pdf(statement=statement)
    assert (again.pk, again.rendered_at) == (document.pk, document.rendered_at)
    DailyStatement.objects.filter(pk=statement.pk).update(withdrawable=Decimal("1.00"))
    statement.refresh_from_db()
    changed = statement_pdf(statement=statement)
    assert changed.pdf_sha256 != document.pdf_sha256
    assert StatementDocument.objects.count() == 1


def test_the_monthly_pdf_renders(statement):
    document = monthly_statement_pdf(margin_account=statement.margin_account, month=THURSDAY)
    text = PdfReader(io.BytesIO(bytes(document.pdf))).pages[0].extract_text()
    assert "融资融券月对账单" in text


def portal_login(http, client_record) -> None:
    user = UserFactory.create()
    client_record.user = user
    client_record.save()
    totp_enrol(user=user)
    response = http.post(
        "/login/",
        {
            "username": user.username,
            "password": DEFAULT_PASSWORD,
            "otp_token": totp_current_code(user=user),
        },
    )
    assert response.status_code == 302


def test_the_portal_lists_and_serves_only_the_clients_own_statements(
    client, statement, borrower, clock
):
    other = borrower(None, principal="100.00", cash="100.00")
    clearing_run(business_date=THURSDAY, rerun=True)
    theirs = DailyStatement.objects.get(margin_account=other, business_date=THURSDAY)
    portal_login(client, statement.margin_account.client)
    page = client.get("/statements/").content.decode()
    assert "2026-03-05" in page and "1009506.86" in page
    assert f"/statements/{statement.pk}/pdf/" in page
    assert f"/statements/{theirs.pk}/pdf/" not in page
    assert client.get(f"/statements/{theirs.pk}/pdf/").status_code == 404
    mine = client.get(f"/statements/{statement.pk}/pdf/")
    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/pdf"
    assert client.get("/statements/month/2026-03/pdf/").status_code == 200


def test_statement_pages_need_a_signed_in_client(client, statement):
    assert client.get("/statements/").status_code == 302
    assert client.get(f"/statements/{statement.pk}/pdf/").status_code == 302
