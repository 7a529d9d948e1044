"""Custody fixtures: staff in each role, funded margin accounts, the credit stage's parameter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.enums import StaffRole
from core.models import ParameterSet, ParameterVersion
from custody.enums import ChartCode, EntryKind
from custody.models import MarginAccount
from custody.services.accounts import margin_account_open
from custody.services.ledger import credit, debit, post_entry
from tests.custody.factories import ActiveClientFactory

OWN_ACCOUNT = "6222020200112233445"
OTHER_ACCOUNT = "6217000011112222333"


@pytest.fixture(autouse=True)
def outbox(settings, tmp_path):
    settings.FULCRUM_CUSTODY_OUTBOX = tmp_path / "outbox"
    return settings.FULCRUM_CUSTODY_OUTBOX


@pytest.fixture
def ops(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def ops2(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def finance(make_staff):
    return make_staff(StaffRole.FINANCE)


@pytest.fixture
def finance2(make_staff):
    return make_staff(StaffRole.FINANCE)


@pytest.fixture
def compliance(make_staff):
    return make_staff(StaffRole.COMPLIANCE)


@pytest.fixture
def make_account(db, ops) -> Callable[..., MarginAccount]:
    def make(**client_kwargs: Any) -> MarginAccount:
        client = ActiveClientFactory.create(**client_kwargs)
        return margin_account_open(
            client=client,
            by=ops,
            bank_name="ICBC Beijing",
            bank_account_no=OWN_ACCOUNT,
            bank_account_holder=client.display_name,
        )

    return make


@pytest.fixture
def account(make_account) -> MarginAccount:
    return make_account()


_funding = {"n": 0}


def fund(account: MarginAccount, amount: str | Decimal, on: date | None = None) -> None:
    """Put cash on an account the way a posted own-account deposit does."""
    _funding["n"] += 1
    value = Decimal(amount)
    post_entry(
        key=f"test-fund-{account.pk}-{_funding['n']}",
        kind=EntryKind.DEPOSIT,
        business_date=on or timezone.localdate(),
        legs=[
            debit(ChartCode.CUSTODIAN_BANK, value),
            credit(ChartCode.CLIENT_CASH, value, account),
        ],
    )


def lend(account: MarginAccount, amount: str | Decimal) -> None:
    """A drawdown, posted the way custody will post it: Dr financed principal / Cr cash."""
    _funding["n"] += 1
    value = Decimal(amount)
    post_entry(
        key=f"test-lend-{account.pk}-{_funding['n']}",
        kind=EntryKind.DRAWDOWN,
        business_date=timezone.localdate(),
        legs=[
            debit(ChartCode.FINANCED_PRINCIPAL, value, account),
            credit(ChartCode.CLIENT_CASH, value, account),
        ],
    )


@pytest.fixture
def margin_regulatory(db):
    """The credit stage seeds ``margin-regulatory``; mirror its withdrawal threshold here."""
    parameter_set, _ = ParameterSet.objects.get_or_create(
        key="margin-regulatory",
        defaults={
            "name": "Margin rules (regulatory)",
            "category": "credit",
            "schema": {
                "withdrawal_min_ratio": {
                    "type": "decimal",
                    "min": "1",
                    "label": "Collateral may be withdrawn only above this maintenance ratio",
                }
            },
        },
    )
    if not ParameterVersion.objects.filter(parameter_set=parameter_set, status="approved").exists():
        ParameterVersion.objects.create(
            parameter_set=parameter_set,
            effective_from=date(2000, 1, 1),
            values={"withdrawal_min_ratio": "3.00"},
            status="approved",
            source="seed",
            reason="SSE margin rules: withdrawals only while the ratio stays above 300%",
        )
    return parameter_set


# Trading fixtures (frozen trading day, credit rules) live beside their helpers.
from tests.custody.trading import credit_rules, frozen  # noqa: E402, F401
