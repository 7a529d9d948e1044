"""Console pages: instruments with today's rules, limit prices for a day, suspensions, series."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.enums import StaffRole
from core.exceptions import InvalidInput
from markets.models import Instrument, Suspension
from markets.services import suspension_save
from tests.markets.factories import DailyBarFactory, InstrumentFactory, SuspensionFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_instrument_list_shows_todays_band_limits_and_halts(console):
    today = timezone.localdate()
    st_stock = InstrumentFactory.create(code="600898", is_st=True)
    DailyBarFactory.create(instrument=st_stock, date=today - timedelta(days=7), close=D("10.10"))
    halted = InstrumentFactory.create(code="000999")
    SuspensionFactory.create(instrument=halted, suspended_on=today - timedelta(days=30))
    page = console().get("/console/markets/instrument/")
    assert page.status_code == 200
    html = page.content.decode()
    st_rate = "±5%" if today < date(2026, 7, 6) else "±10%"
    assert st_rate in html
    st_up = "10.61" if today < date(2026, 7, 6) else "11.11"
    assert st_up in html
    assert 'alt="True"' in html  # the suspended-today icon


def test_the_limit_prices_page_for_a_day(console, vanke):
    page = console().get("/console/markets/instrument/limits/", {"day": "2016-07-05"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Limit prices on 2016-07-05" in html
    for text in ("<td>21.99</td>", "19.79", "24.19", "±10%", "a multiple of 100 shares"):
        assert text in html


def test_an_overlapping_suspension_is_refused_on_the_console_and_nothing_changes(console, vanke):
    SuspensionFactory.create(
        instrument=vanke, suspended_on=date(2015, 12, 21), resumed_on=date(2016, 7, 4)
    )
    client = console()
    page = client.post(
        "/console/markets/suspension/add/",
        {"instrument": vanke.pk, "suspended_on": "2016-03-01", "resumed_on": "", "reason": "x"},
    )
    assert page.status_code == 200
    assert "000002 is already suspended from 2015-12-21 (2016-07-04)" in page.content.decode()
    assert Suspension.objects.count() == 1
    ok = client.post(
        "/console/markets/suspension/add/",
        {
            "instrument": vanke.pk,
            "suspended_on": "2016-07-04",
            "resumed_on": "2016-07-06",
            "reason": "y",
        },
    )
    assert ok.status_code == 302
    assert Suspension.objects.count() == 2


def test_suspension_service_refuses_an_overlap_and_a_resumption_before_the_halt(vanke):
    suspension_save(instrument=vanke, suspended_on=date(2015, 12, 21))
    with pytest.raises(
        InvalidInput, match="000002 is already suspended from 2015-12-21 \\(still suspended\\)"
    ):
        suspension_save(
            instrument=vanke, suspended_on=date(2016, 1, 4), resumed_on=date(2016, 2, 1)
        )
    with pytest.raises(
        InvalidInput, match="resumed on 2016-01-04 must be after suspended on 2016-01-04"
    ):
        suspension_save(
            instrument=vanke, suspended_on=date(2016, 1, 4), resumed_on=date(2016, 1, 4)
        )
    assert list(vanke.suspensions.values_list("suspended_on", "resumed_on")) == [
        (date(2015, 12, 21), None)
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/console/markets/quote/",
        "/console/markets/dailybar/",
        "/console/markets/fundingseries/",
        "/console/markets/seriespoint/",
        "/console/markets/suspension/",
    ],
)
def test_market_data_pages_open_for_the_auditor(console, url):
    assert console(StaffRole.AUDITOR).get(url).status_code == 200


def test_quotes_and_bars_cannot_be_edited_by_hand(console):
    client = console(StaffRole.ADMINISTRATOR)
    assert client.get("/console/markets/quote/add/").status_code == 403
    assert client.get("/console/markets/dailybar/add/").status_code == 403


def test_a_new_instrument_takes_its_exchange_and_board_from_the_code(console):
    client = console()
    form = {"code": "688001", "name": "华兴源创", "kind": "stock", "lot_size": 100}
    form |= {"suspensions-TOTAL_FORMS": 0, "suspensions-INITIAL_FORMS": 0}
    assert client.post("/console/markets/instrument/add/", form).status_code == 302
    created = Instrument.objects.get(code="688001")
    assert (created.exchange, created.board) == ("XSHG", "star")
    page = client.post("/console/markets/instrument/add/", form | {"code": "999999"})
    assert "instrument code &#x27;999999&#x27; belongs to no known A-share board" in (
        page.content.decode()
    )
    assert Instrument.objects.count() == 1
