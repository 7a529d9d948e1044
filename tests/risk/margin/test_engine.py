"""The float book against exact Decimal, and webhooks signed with the partner's secret."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal
from unittest import mock

import numpy as np

from custody.models import MarginAccount
from risk.margin import engine
from risk.margin.book import collateral_values, load_book, ratios
from risk.margin.enums import Channel, NotificationStatus
from risk.margin.exact import exact_valuations
from risk.margin.models import MarginNotification
from risk.margin.services.notifications import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    notification_send,
    notifications_resend,
)
from tests.accounts.factories import PartnerFactory
from tests.custody.factories import PositionFactory
from tests.custody.trading import TODAY, stock
from tests.risk.margin.conftest import borrower, quote

D = Decimal


def test_the_sweep_and_exact_decimal_agree(make_staff, a600):
    b = stock("600001", close="7.77", index_constituent=False)
    c = stock("300750", close="123.45", board="chinext")
    accounts = [
        borrower(make_staff, a600, shares="3300", debt="41234.56"),
        borrower(make_staff, b, shares="12345", debt="99999.99"),
        borrower(make_staff, c, shares="100", debt="0.01"),
        borrower(make_staff, a600, shares="1", debt="0"),
    ]
    PositionFactory.create(margin_account=accounts[0], instrument=c, quantity=D("700"))
    quote(a600, "9.87")

    book = load_book(TODAY)
    floats = ratios(book)
    exact = exact_valuations([a.pk for a in accounts], TODAY)

    for account in accounts:
        i = int(book.account_index([account.pk])[0])
        ratio = exact[account.pk].ratio
        if ratio is None:
            assert floats[i] == np.inf
        else:
            assert abs(floats[i] - float(ratio)) <= 1e-12 * float(ratio)
    # Collateral value: the balanced package takes 65% of constituents, 60% of other A-shares.
    i = int(book.account_index([accounts[1].pk])[0])
    expected = float(D("99999.99") + D("12345") * D("7.77") * D("0.60"))
    assert abs(collateral_values(book)[i] - expected) < 1e-6
    assert book.warning_line[i] == 1.4 and book.topup_target[i] == 1.6


def test_the_book_has_one_row_per_account_and_position(make_staff, account, a600):
    book = load_book(TODAY)
    assert book.account_ids.tolist() == sorted(MarginAccount.objects.values_list("pk", flat=True))
    assert book.pos_quantity.tolist() == [10000.0]
    assert book.prices.tolist() == [10.0]
    assert book.positions_of(np.array([0])).tolist() == [0]


def _partner_client(account):
    partner = PartnerFactory.create(webhook_url="https://partner.example/hooks/margin")
    partner.set_webhook_secret("s3cret")
    partner.save()
    client = account.client
    client.partner = partner
    client.save()
    return partner


def test_partner_webhooks_are_signed_with_the_partners_secret(
    account, a600, django_capture_on_commit_callbacks
):
    _partner_client(account)
    quote(a600, "3.50")
    with mock.patch("urllib.request.urlopen") as urlopen:
        urlopen.return_value.__enter__.return_value.status = 200
        with django_capture_on_commit_callbacks(execute=True):
            engine.sweep()

    webhook = MarginNotification.objects.get(channel=Channel.WEBHOOK)
    assert webhook.status == NotificationStatus.SENT
    request = urlopen.call_args.args[0]
    stamp = request.get_header(TIMESTAMP_HEADER.capitalize())
    body = request.data
    expected = hmac.new(b"s3cret", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert request.get_header(SIGNATURE_HEADER.capitalize()) == f"sha256={expected}"
    assert json.loads(body)["event"] == "margin_call.warning"
    assert json.loads(body)["ratio"] == "1.3500"


def test_a_failed_webhook_stays_in_the_outbox_and_can_be_resent(
    account, a600, django_capture_on_commit_callbacks
):
    _partner_client(account)
    quote(a600, "3.50")
    with (
        mock.patch("urllib.request.urlopen", side_effect=OSError("connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        engine.sweep()
    webhook = MarginNotification.objects.get(channel=Channel.WEBHOOK)
    assert (webhook.status, webhook.attempts) == (NotificationStatus.FAILED, 1)
    assert "connection refused" in webhook.last_error

    with mock.patch("urllib.request.urlopen") as urlopen:
        urlopen.return_value.__enter__.return_value.status = 200
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications_resend(ids=[webhook.pk]) == 1
    webhook.refresh_from_db()
    assert (webhook.status, webhook.attempts) == (NotificationStatus.SENT, 2)
    assert notification_send(webhook.pk) == "skipped"  # sent once, never twice
