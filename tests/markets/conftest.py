from __future__ import annotations

from pathlib import Path

import pytest

from accounts.enums import StaffRole
from accounts.services import totp_current_code, totp_enrol
from markets.barfile import ParsedBar, parse_bars
from markets.bars_import import bars_import
from markets.models import Instrument
from markets.rules import RuleBook
from tests.factories import DEFAULT_PASSWORD

FIXTURES = Path(__file__).resolve().parents[2] / "markets" / "fixtures" / "ashare"


def real_bars(code: str) -> dict:
    """The real bars of ``code`` by day, read straight from the shipped file."""
    with (FIXTURES / f"{code}.csv").open(newline="", encoding="utf-8") as handle:
        bars: list[ParsedBar] = parse_bars(handle)
    return {b.day: b for b in bars}


@pytest.fixture
def book(db) -> RuleBook:
    return RuleBook.load()


@pytest.fixture
def vanke(db) -> Instrument:
    """China Vanke (000002) with its real daily bars."""
    with (FIXTURES / "000002.csv").open(newline="", encoding="utf-8") as handle:
        instrument, _ = bars_import(code="000002", name="万科A China Vanke", handle=handle)
    return instrument


@pytest.fixture
def console(client, make_staff):
    """A test client signed in to the console as an operations person (password + TOTP)."""

    def sign_in(role: str = StaffRole.OPERATIONS):
        user = make_staff(role)
        totp_enrol(user=user)
        client.post(
            "/console/login/",
            {
                "username": user.username,
                "password": DEFAULT_PASSWORD,
                "otp_token": totp_current_code(user=user),
                "next": "/console/",
            },
        )
        return client

    return sign_in
