"""Which package governs each account: the book's whole-book read and the per-account read
(used under row locks) must agree with the rules in :mod:`risk.margin.terms`."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from accounts.enums import ClientStatus
from accounts.models import Client
from credit.enums import CreditLineStatus
from credit.models import CreditLine, LeveragePackage
from custody.models import MarginAccount
from risk.margin.book import load_book
from risk.margin.terms import package_codes_by_client
from tests.custody.trading import TODAY, active_line, make_trader
from tests.risk.margin.conftest import borrower


def _both_ways(account: MarginAccount) -> tuple[str, str | None]:
    book = load_book(TODAY)
    whole_book = book.package_codes[int(book.account_index([account.pk])[0])]
    one = package_codes_by_client([account.client_id], TODAY)[account.client_id]
    return whole_book, one


def test_the_live_line_governs_else_the_latest_approved(make_staff, a600):
    account = borrower(make_staff, a600, package="balanced")
    first = CreditLine.objects.get(client=account.client)
    # Arranged directly: the first line expired and the client was approved again.
    CreditLine.objects.filter(pk=first.pk).update(status=CreditLineStatus.EXPIRED)
    Client.objects.filter(pk=account.client_id).update(status=ClientStatus.ELIGIBLE)
    second = active_line(
        account.client,
        limit="300000",
        package="conservative",
        ops=make_staff("operations"),
        risk=make_staff("risk_officer"),
    )
    assert _both_ways(account) == ("conservative", "conservative")

    # Neither line live: the most recently approved one still says which terms were agreed.
    CreditLine.objects.filter(pk=second.pk).update(
        status=CreditLineStatus.CLOSED, approved_at=first.approved_at - timedelta(days=1)
    )
    assert _both_ways(account) == ("balanced", "balanced")


def test_a_line_allowing_several_packages_takes_the_lowest_usable_leverage(make_staff, a600):
    account = borrower(make_staff, a600, package="balanced")
    line = CreditLine.objects.get(client=account.client)
    line.packages.add(*LeveragePackage.objects.filter(code__in=["aggressive", "conservative"]))
    # No contract names one: conservative finances at most 50% (balanced 80%, aggressive 100%);
    # not the first code alphabetically, which would be aggressive.
    assert _both_ways(account) == ("conservative", "conservative")


@pytest.mark.django_db
def test_a_client_without_a_line_has_no_package(make_staff, credit_rules):
    account = make_trader(make_staff, limit=None)
    book = load_book(TODAY)
    assert book.package_codes[int(book.account_index([account.pk])[0])] == ""
    assert np.isnan(book.warning_line[int(book.account_index([account.pk])[0])])
    assert package_codes_by_client([account.client_id], TODAY) == {account.client_id: None}
