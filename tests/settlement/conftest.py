"""Settlement fixtures: a frozen clock, packages with known rates, accounts with debt."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.enums import StaffRole
from core.models import ParameterSet
from core.params.services import parameter_change_approve, parameter_change_propose
from credit.defaults import PACKAGES
from credit.keys import package_set_key
from credit.models import LeveragePackage
from credit.services import credit_defaults_install, leverage_package_define
from custody.enums import ChartCode, EntryKind
from custody.models import MarginAccount
from custody.services.accounts import margin_account_open
from custody.services.ledger import credit, debit, post_entry
from tests.custody.factories import ActiveClientFactory
from tests.settlement.factories import CreditLineFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
SETUP_DAY = date(2026, 3, 2)  # Monday: rules are installed and changes approved on this day
FRIDAY = date(2026, 3, 6)  # accrues Fri, Sat, Sun
SATURDAY = date(2026, 3, 7)
MONDAY = date(2026, 3, 9)


def evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def maker(make_staff):
    return make_staff(StaffRole.RISK_OFFICER)


@pytest.fixture
def checker(make_staff):
    return make_staff(StaffRole.RISK_OFFICER)


@pytest.fixture
def ops(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def rules(maker, checker) -> dict[str, LeveragePackage]:
    credit_defaults_install(maker=maker, checker=checker, effective_from=SETUP_DAY, reason="test")
    return {p.code: p for p in LeveragePackage.objects.all()}


@pytest.fixture
def define_package(rules, maker, checker) -> Callable[..., LeveragePackage]:
    """A package with the balanced terms but the given rate and day count."""

    def define(code: str, rate: str, day_count: str, **overrides: Any) -> LeveragePackage:
        package = leverage_package_define(code=code, name=code)
        values = {**PACKAGES[1]["values"], "annual_interest_rate": rate, "day_count": day_count}
        values.update(overrides)
        propose(code, values, SETUP_DAY, maker, checker)
        return package

    return define


def propose(code: str, values: dict[str, Any], on: date, maker: Any, checker: Any) -> None:
    version = parameter_change_propose(
        parameter_set=ParameterSet.objects.get(key=package_set_key(code)),
        effective_from=on,
        values=values,
        maker=maker,
        reason="test terms",
    )
    parameter_change_approve(version=version, checker=checker)


@pytest.fixture
def change_rate(maker, checker) -> Callable[[str, str, date], None]:
    def change(code: str, rate: str, on: date) -> None:
        from core import params

        values = dict(params.snapshot(package_set_key(code), SETUP_DAY).values)
        values = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}
        values["haircuts"] = {k: str(v) for k, v in values["haircuts"].items()}
        values["annual_interest_rate"] = rate
        propose(code, values, on, maker, checker)

    return change


_n = {"n": 0}


def post(account: MarginAccount | None, kind: str, legs: list[Any], day: date) -> None:
    _n["n"] += 1
    post_entry(key=f"test-{_n['n']}", kind=kind, business_date=day, legs=legs)


@pytest.fixture
def borrower(ops) -> Callable[..., MarginAccount]:
    """An account with a line on ``package``, ``cash`` deposited and ``principal`` drawn."""

    def make(
        package: LeveragePackage | None,
        principal: str = "1000000.00",
        cash: str = "500000.00",
        valid_to: date = date(2026, 7, 4),
        day: date = date(2026, 2, 27),
    ) -> MarginAccount:
        client = ActiveClientFactory.create()
        account = margin_account_open(
            client=client,
            by=ops,
            bank_name="ICBC",
            bank_account_no="6222020200112233445",
            bank_account_holder=client.display_name,
        )
        if package is not None:
            CreditLineFactory.create(client=client, packages=[package], valid_to=valid_to)
        if Decimal(cash):
            post(
                account,
                EntryKind.DEPOSIT,
                [
                    debit(ChartCode.CUSTODIAN_BANK, Decimal(cash)),
                    credit(ChartCode.CLIENT_CASH, Decimal(cash), account),
                ],
                day,
            )
        if Decimal(principal):
            post(
                account,
                EntryKind.DRAWDOWN,
                [
                    debit(ChartCode.FINANCED_PRINCIPAL, Decimal(principal), account),
                    credit(ChartCode.CLIENT_CASH, Decimal(principal), account),
                ],
                day,
            )
        return account

    return make
