"""Pre-trade checks through order_submit: every reason at once, nothing posted when refused,
and the what-if against numbers computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.enums import StaffRole
from core.exceptions import IdempotencyConflict, InvalidInput
from core.fsm import apply_transition
from custody.enums import ChartCode, EntryKind, OrderChannel, OrderPurpose, OrderStatus
from custody.models import JournalEntry, Order, Position
from custody.selectors import natural_balances
from custody.services.ledger import credit, debit, post_entry
from custody.services.orders import order_cancel
from markets.models import Suspension
from risk.pretrade import line_price, pretrade_check
from tests.custody.conftest import lend
from tests.custody.trading import TODAY, fill, make_trader, stock, submit

pytestmark = pytest.mark.usefixtures("credit_rules")
D = Decimal
C = ChartCode
TUESDAY = date(2026, 3, 3)


@pytest.fixture
def ops(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def account(make_staff):
    return make_trader(make_staff, cash="100000")


@pytest.fixture
def a600(db):
    return stock("600000")


def assert_untouched(account, balances):
    assert natural_balances(account) == balances
    assert not Position.objects.filter(margin_account=account).exists()
    assert not JournalEntry.objects.filter(kind=EntryKind.TRADE).exists()


def test_an_order_off_the_tick_out_of_the_band_and_in_a_wrong_lot_gets_every_reason(account, a600):
    before = natural_balances(account)

    result = submit(account, a600, "buy", 150, "11.005")

    assert not result.accepted
    assert result.reasons == (
        "price 11.005 is off the 0.01 tick",
        "11.005 is above the limit-up price 11.00 for 2026-03-02",
        "buy quantity 150 must be a multiple of 100 shares",
    )
    order = Order.objects.get()
    assert (order.status, order.reasons) == (OrderStatus.REJECTED, list(result.reasons))
    assert_untouched(account, before)


def test_selling_unsellable_or_unheld_shares_is_refused(account, a600):
    before = natural_balances(account)
    result = submit(account, a600, "sell", 100, "10.00")
    assert result.reasons == (
        "sell quantity 100 exceeds the 0 shares of 600000 sellable today (0 held)",
    )
    assert_untouched(account, before)


def test_odd_lots_may_only_be_sold_whole(account, a600, ops):
    buy = submit(account, a600, "buy", 300, "10.00")
    fill(buy.order, 250, "10.00")  # the broker filled 250; the rest is cancelled
    order_cancel(order=buy.order, by=ops, reason="rest not wanted")

    part_of_the_odd_lot = submit(account, a600, "sell", 120, "10.00", on=TUESDAY)
    lot_and_odd_lot = submit(account, a600, "sell", 150, "10.00", on=TUESDAY)

    assert part_of_the_odd_lot.reasons == (
        "sell quantity 120 must be a multiple of 100 shares, or all 250 held (the odd lot of 50 "
        "may only be sold whole)",
    )
    assert lot_and_odd_lot.accepted
    taken = submit(account, a600, "sell", 150, "10.00", on=TUESDAY)
    assert taken.reasons == (
        "sell quantity 150 exceeds the 100 shares of 600000 sellable today (250 held; 150 "
        "already in open sell orders)",
    )


def test_an_unknown_instrument_is_refused_and_creates_no_order(account):
    before = natural_balances(account)
    with pytest.raises(InvalidInput, match="^unknown instrument '999999'$"):
        submit(account, "999999", "buy", 100, "10.00")
    assert not Order.objects.exists()
    assert_untouched(account, before)


def test_a_suspended_instrument_is_refused(account, a600):
    Suspension.objects.create(instrument=a600, suspended_on=TODAY, reason="major asset deal")
    result = submit(account, a600, "buy", 100, "10.00")
    assert result.reasons == ("600000 is suspended on 2026-03-02 (major asset deal)",)


def test_limit_bands_follow_the_board_and_the_st_change(make_staff):
    account = make_trader(make_staff, cash="100000", limit=None)
    chinext = stock("300750", board="chinext", exchange="XSHE")
    st = stock("600200", is_st=True)
    assert submit(account, chinext, "buy", 100, "12.00").accepted  # ±20%
    assert submit(account, chinext, "buy", 100, "12.01").reasons == (
        "12.01 is above the limit-up price 12.00 for 2026-03-02",
    )
    assert submit(account, st, "buy", 100, "10.50").accepted  # main-board ST ±5% …
    assert submit(account, st, "buy", 100, "10.51").reasons == (
        "10.51 is above the limit-up price 10.50 for 2026-03-02",
    )
    later = date(2026, 7, 6)  # … ±10% from 2026-07-06
    assert submit(account, st, "buy", 100, "11.00", on=later).accepted


def test_no_financing_without_a_credit_line(make_staff, a600):
    account = make_trader(make_staff, cash="10000", limit=None)
    result = submit(account, a600, "buy", 2000, "10.00")
    # 20,000 + commission 0.025% = 5.00 (the minimum) + transfer fee 0.20
    assert result.reasons == (
        "buying power: the order needs CNY 20,005.20 with open buy orders, cash is CNY "
        "10,000.00, so CNY 10,005.20 would be financed, and financing is not possible: the "
        "client has no credit line",
    )


def test_an_open_buy_reserves_credit_for_the_next_order(make_staff, a600):
    account = make_trader(make_staff, cash="100000", limit="30000")
    first = submit(account, a600, "buy", 12000, "10.00")
    assert first.accepted, first.reasons

    second = submit(account, a600, "buy", 2000, "10.00")

    # 120,037.20 reserved + 20,006.20 = 140,043.40; 40,043.40 above cash, the line has 30,000
    assert second.reasons == (
        "buying power: the order needs CNY 140,043.40 with open buy orders, cash is CNY "
        "100,000.00, so CNY 40,043.40 would be financed, above the available credit of CNY "
        "30,000.00 (limit CNY 30,000.00, used CNY 0.00)",
    )


def test_financed_buys_need_an_eligible_instrument(account):
    st = stock("600300", is_st=True)
    result = submit(account, st, "buy", 10500, "10.00")
    assert result.reasons[0] == (
        "600300 is not eligible for financed buying under package balanced: ST / *ST"
    )
    own_cash = submit(account, st, "buy", 9000, "10.00")
    assert own_cash.accepted  # no financing needed: eligibility does not apply


def test_concentration_binds_when_the_account_is_thinly_covered(make_staff, a600):
    account = make_trader(make_staff, cash="100000")
    lend(account, "150000")  # an earlier drawdown: cash 250,000, principal 150,000

    result = submit(account, a600, "buy", 20000, "10.00")

    # cash after 250,000 − 200,062 = 49,938; assets 249,938; 600000 is 80.02% of them
    assert result.what_if is not None and result.what_if.ratio_after == D("1.66625333")
    assert result.reasons == (
        "concentration: 600000 would be 80.02% of the account's assets, above the 40% "
        "single-stock limit of package balanced",
        "concentration: the Main board would be 80.02% of the account's assets, above the 80% "
        "single-board limit of package balanced",
    )


def test_client_status_buys_only_when_active_sells_in_a_margin_call(account, a600, ops):
    buy = submit(account, a600, "buy", 1000, "10.00")
    fill(buy.order, 1000, "10.00")
    client = account.client
    apply_transition(client, "issue_margin_call", by=ops, reason="ratio under the warning line")
    client.save()

    refused = submit(account, a600, "buy", 100, "10.00", on=TUESDAY)
    allowed = submit(account, a600, "sell", 1000, "10.00", on=TUESDAY)

    assert refused.reasons == (
        f"client {client.client_no} is margin call: only active clients may buy; selling to "
        "reduce risk is allowed",
    )
    assert allowed.accepted


def test_a_liquidation_order_skips_the_client_checks_but_not_the_market_rules(account, a600, ops):
    buy = submit(account, a600, "buy", 1000, "10.00")
    fill(buy.order, 1000, "10.00")
    client = account.client
    for step in ("issue_margin_call", "start_liquidation"):
        apply_transition(client, step, by=ops, reason="cure period over")
    client.save()
    common: dict[str, Any] = {"purpose": OrderPurpose.LIQUIDATION, "liquidation_ref": "LQ-1"}

    unsellable = submit(account, a600, "sell", 1000, "10.00", channel="liquidation", **common)
    off_tick = submit(
        account, a600, "sell", 1000, "9.995", on=TUESDAY, channel="liquidation", **common
    )
    ok = submit(account, a600, "sell", 1000, "9.50", on=TUESDAY, channel="liquidation", **common)

    assert "sellable from the next trading day (T+1)" in unsellable.reasons[0]
    assert off_tick.reasons == ("price 9.995 is off the 0.01 tick",)
    assert ok.accepted and ok.order.liquidation_ref == "LQ-1"
    with pytest.raises(InvalidInput, match="needs the liquidation reference"):
        submit(account, a600, "sell", 100, "9.50", purpose=OrderPurpose.LIQUIDATION)


def test_order_submit_is_idempotent(account, a600):
    first = submit(account, a600, "buy", 100, "10.00", idempotency_key="same")
    again = submit(account, a600, "buy", 100, "10.00", idempotency_key="same")
    assert (again.order.pk, again.replayed) == (first.order.pk, True)
    with pytest.raises(IdempotencyConflict):
        submit(account, a600, "buy", 200, "10.00", idempotency_key="same")
    assert Order.objects.count() == 1


def test_the_what_if_of_a_margin_buy_by_hand(account, a600):
    check = pretrade_check(
        margin_account=account,
        instrument=a600,
        side="buy",
        quantity=12000,
        order_type="limit",
        limit_price=D("10.00"),
        on=TODAY,
    )
    w = check.what_if
    assert w is not None and check.reasons == ()
    # 120,000 + 36.00 + 1.20 − cash 100,000 = 20,037.20 financed; ratio 120,000 / 20,037.20
    assert (w.financing, w.cash_after, w.principal_after) == (
        D("20037.20"),
        D("0.00"),
        D("20037.20"),
    )
    assert (w.ratio_before, w.ratio_after) == (None, D("5.98886072"))
    # warning 1.40: (1.40 × 20,037.20 − 0) / 12,000 = 2.33767; liquidation 1.30: 2.17070
    line = w.positions[0]
    assert (line.code, line.warning_price, line.liquidation_price) == (
        "600000",
        D("2.3377"),
        D("2.1707"),
    )
    assert not Order.objects.exists()  # a what-if changes nothing


def test_the_what_if_of_a_sell_that_repays_by_hand(make_staff, a600):
    account = make_trader(make_staff, cash="100000", package="aggressive", suitability_level="C5")
    lend(account, "101000")
    b = stock("600001")
    for instrument in (a600, b):
        order = submit(account, instrument, "buy", 10000, "10.00")
        assert order.accepted, order.reasons
        fill(order.order, 10000, "10.00")  # 100,000 + commission 0.02% 20.00 + 1.00 each
    post_entry(
        key="interest",
        kind=EntryKind.INTEREST,
        business_date=timezone.localdate(),
        legs=[
            debit(C.INTEREST_RECEIVABLE, D("500.00"), account),
            credit(C.INTEREST_INCOME, D("500.00")),
        ],
    )

    result = submit(account, a600, "sell", 5000, "10.50", on=TUESDAY)

    w = result.what_if
    assert result.accepted and w is not None
    # before: cash 958, securities 200,000 at the last close, debt 101,500 → 1.97988177
    assert (w.cash_before, w.securities_before, w.debt_before, w.ratio_before) == (
        D("958.00"),
        D("200000.00"),
        D("101500.00"),
        D("1.97988177"),
    )
    # 52,500 − commission 10.50 − stamp duty 26.25 − transfer fee 0.53 = 52,462.72, all repaid:
    # interest 500.00 first, then 51,962.72 of principal
    assert (w.repaid, w.interest_after, w.principal_after, w.cash_after) == (
        D("52462.72"),
        D("0.00"),
        D("49037.28"),
        D("958.00"),
    )
    # after: 958 + 5,000 × 10.50 + 10,000 × 10.00 = 153,458 over 49,037.28
    assert (w.securities_after, w.ratio_after) == (D("152500.00"), D("3.12941501"))
    assert (w.warning_line, w.liquidation_line) == (D("1.35"), D("1.25"))
    lines = {p.code: (p.warning_price, p.liquidation_price) for p in w.positions}
    # 600001: (1.35 × 49,037.28 − (153,458 − 100,000)) / 10,000 = 1.27423; 1.25 → 0.78386
    # 600000 alone cannot take the ratio to either line: (66,200.33 − 100,958) / 5,000 < 0
    assert lines == {"600000": (None, None), "600001": (D("1.2742"), D("0.7839"))}


def test_line_price_formula():
    assert line_price(
        D("1.4"), assets=D("150"), debt=D("100"), quantity=D("10"), price=D("10")
    ) == (D("9.0000"))  # (140 − 50) / 10
    assert (
        line_price(D("1.4"), assets=D("150"), debt=D("0"), quantity=D("10"), price=D("10")) is None
    )


def test_every_channel_value_is_checked(account, a600):
    with pytest.raises(InvalidInput, match="channel 'fax' must be one of"):
        submit(account, a600, "buy", 100, "10.00", channel="fax")
    assert OrderChannel.PORTAL in OrderChannel.values
