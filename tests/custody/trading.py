"""Shared set-up for the trading tests (custody and risk): a frozen trading day, the credit
rules, an active client with a funded margin account and an active credit line, instruments with
yesterday's close, and helpers to place and fill orders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.enums import ClientStatus, StaffRole
from core.fsm import apply_transition
from credit.models import CreditLine
from credit.services import (
    credit_application_approve,
    credit_application_review,
    credit_application_submit,
    credit_defaults_install,
    credit_line_activate,
)
from custody.enums import ChartCode, EntryKind, OrderChannel
from custody.models import Fill, MarginAccount, Order
from custody.services.accounts import margin_account_open
from custody.services.fills import fill_capture
from custody.services.ledger import credit, debit, post_entry
from markets.models import DailyBar, Instrument
from risk.orders import OrderResult, order_submit
from tests.credit.factories import EligibleClientFactory
from tests.custody.factories import DailyBarFactory, InstrumentFactory

_keys = {"n": 0}
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 2)  # a Monday; packages in force from today
PREVIOUS = date(2026, 2, 27)  # the Friday before
D = Decimal


OWN_ACCOUNT = "6222020200112233445"


def fund(account: MarginAccount, amount: str) -> None:
    """Cash on the account as a posted own-account deposit would put it."""
    _keys["n"] += 1
    post_entry(
        key=f"trading-fund-{account.pk}-{_keys['n']}",
        kind=EntryKind.DEPOSIT,
        business_date=TODAY,
        legs=[
            debit(ChartCode.CUSTODIAN_BANK, D(amount)),
            credit(ChartCode.CLIENT_CASH, D(amount), account),
        ],
    )


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def frozen() -> Iterator[Any]:
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def credit_rules(frozen, make_staff) -> None:
    credit_defaults_install(
        maker=make_staff(StaffRole.RISK_OFFICER),
        checker=make_staff(StaffRole.RISK_OFFICER),
        effective_from=TODAY,
        reason="starting rules for the trading tests",
    )


def stock(code: str, close: str = "10.00", *, day: date = PREVIOUS, **kwargs: Any) -> Instrument:
    """A main-board index constituent with its close on ``day`` (the previous trading day)."""
    defaults = {"board": "main", "index_constituent": True, "pe_ttm": D("15.00")}
    defaults.update(kwargs)
    instrument = InstrumentFactory.create(code=code, name=f"Stock {code}", **defaults)
    DailyBarFactory.create(instrument=instrument, date=day, close=D(close))
    return instrument


def bar(instrument: Instrument, day: date, o: str, h: str, low: str, c: str, v: str) -> DailyBar:
    return DailyBarFactory.create(
        instrument=instrument, date=day, open=D(o), high=D(h), low=D(low), close=D(c), volume=D(v)
    )


def active_line(client: Any, *, limit: str, package: str, ops: Any, risk: Any) -> CreditLine:
    application = credit_application_submit(
        client=client,
        requested_amount=D(limit),
        packages=[package],
        requested_by=ops,
        financial_assets=D("5000000"),
        annual_income=D("600000"),
        investing_experience_years=6,
    )
    credit_application_review(application=application, by=ops)
    application.refresh_from_db()
    credit_application_approve(application=application, approver=risk, limit=D(limit))
    line = CreditLine.objects.get(application=application)
    return credit_line_activate(credit_line=line, by=ops, reason="contract signed")


def make_trader(
    make_staff: Any,
    *,
    cash: str = "0",
    limit: str | None = "500000",
    package: str = "balanced",
    **client_kwargs: Any,
) -> MarginAccount:
    """An ACTIVE client with a funded margin account and (unless ``limit`` is None) a line."""
    ops = make_staff(StaffRole.OPERATIONS)
    if limit is None:
        client_kwargs.setdefault("status", ClientStatus.ACTIVE)
    client = EligibleClientFactory.create(**client_kwargs)
    if limit is not None:
        active_line(client, limit=limit, package=package, ops=ops, risk=make_staff("risk_officer"))
        client.refresh_from_db()
        for step in ("sign_contract", "activate"):
            apply_transition(client, step, by=ops, reason="contract signed")
        client.save()
    account = margin_account_open(
        client=client,
        by=ops,
        bank_name="ICBC",
        bank_account_no=OWN_ACCOUNT,
        bank_account_holder=client.display_name,
    )
    if D(cash) > 0:
        fund(account, cash)
    return MarginAccount.objects.select_related("client").get(pk=account.pk)


def submit(
    account: MarginAccount,
    instrument: Instrument | str,
    side: str,
    quantity: int,
    price: str | None = None,
    *,
    on: date = TODAY,
    order_type: str | None = None,
    **kwargs: Any,
) -> OrderResult:
    _keys["n"] += 1
    return order_submit(
        margin_account=account,
        instrument=instrument,
        side=side,
        quantity=quantity,
        order_type=order_type or ("limit" if price is not None else "market"),
        limit_price=D(price) if price is not None else None,
        channel=kwargs.pop("channel", OrderChannel.OPS),
        submitted_by=kwargs.pop("submitted_by", None),
        idempotency_key=kwargs.pop("idempotency_key", f"t-{_keys['n']}"),
        on=on,
        **kwargs,
    )


def fill(
    order: Order,
    quantity: int,
    price: str,
    *,
    exec_id: str | None = None,
    when: datetime | None = None,
) -> Fill:
    _keys["n"] += 1
    return fill_capture(
        order=order,
        exec_id=exec_id or f"X{_keys['n']}",
        quantity=quantity,
        price=D(price),
        executed_at=when or at(order.trade_date, 10, 30),
    )
