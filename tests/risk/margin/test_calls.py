"""The margin-call lifecycle driven by ticks and sweeps, checked against hand-computed ratios.

The account: cash 100,000 (the drawdown), debt 100,000, 10,000 shares. At a price p the ratio
is (100,000 + 10,000 p) / 100,000: p = 3.50 → 135% (warning), p = 2.50 → 125% (below 130%).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from accounts.enums import ClientStatus
from custody.models import MarginAccount
from risk.margin import engine
from risk.margin.enums import CallEvent, CallStatus, Channel, NotificationStatus
from risk.margin.models import MarginCall, MarginNotification
from tests.custody.trading import fund
from tests.risk.margin.conftest import borrower, quote

D = Decimal
THURSDAY = date(2026, 4, 30)  # then Labour Day (1-5 May) and a weekend


def client_status(account: MarginAccount) -> str:
    account.client.refresh_from_db()
    return str(account.client.status)


def test_healthy_account_has_no_call(account, a600):
    result = engine.sweep()
    assert result.candidates == 0
    assert not MarginCall.objects.exists()


def test_exactly_one_call_per_breach_however_many_ticks(account, a600):
    for price in ("3.50", "3.45", "3.40", "3.48", "3.42"):
        quote(a600, price)
        engine.tick([a600.pk])

    call = MarginCall.objects.get()
    assert call.status == CallStatus.WARNING
    assert call.ratio_at_open == D("1.35")
    assert client_status(account) == ClientStatus.ACTIVE  # a warning does not move the client
    assert set(MarginNotification.objects.values_list("event", flat=True)) == {CallEvent.WARNING}

    engine.tick([a600.pk], closing=True)
    engine.tick([a600.pk], closing=True)
    quote(a600, "3.41")
    engine.tick([a600.pk])

    call = MarginCall.objects.get()
    assert call.status == CallStatus.ISSUED
    assert call.due_on == date(2026, 3, 4)  # Monday + 2 trading days
    # Top up to 160%: 1.6 × 100,000 − (100,000 + 34,200) = 25,800.
    assert call.amount_due == D("25800.00")
    assert client_status(account) == ClientStatus.MARGIN_CALL
    events = list(MarginNotification.objects.values_list("event", flat=True))
    assert events.count(CallEvent.CALL_ISSUED) == 2  # email + portal, once
    assert events.count(CallEvent.WARNING) == 2


def test_notifications_carry_the_numbers_and_email_is_sent_after_commit(
    account, a600, django_capture_on_commit_callbacks
):
    account.client.user = None
    quote(a600, "3.50")
    with django_capture_on_commit_callbacks(execute=True):
        engine.sweep(closing=True)

    email = MarginNotification.objects.get(event=CallEvent.CALL_ISSUED, channel=Channel.EMAIL)
    portal = MarginNotification.objects.get(event=CallEvent.CALL_ISSUED, channel=Channel.PORTAL)
    assert "Maintenance ratio 135.00%" in portal.body
    assert "Deposit at least CNY 25,000.00" in portal.body
    assert "by the close of 2026-03-04" in portal.body
    assert portal.status == NotificationStatus.SENT
    if email.recipient:
        assert email.status == NotificationStatus.SENT
        assert any("Margin call issued" in m.subject for m in mail.outbox)
    else:
        assert email.status == NotificationStatus.SKIPPED


def test_a_deposit_cures_the_call_and_restores_the_client(account, a600):
    quote(a600, "3.50")
    engine.sweep(closing=True)
    call = MarginCall.objects.get()
    assert call.status == CallStatus.ISSUED

    fund(account, "24999.99")  # one cent short of the target: still a call
    engine.sweep()
    assert MarginCall.objects.get().status == CallStatus.ISSUED

    fund(account, "0.01")
    result = engine.sweep()

    call.refresh_from_db()
    assert call.status == CallStatus.CURED
    assert call.last_ratio == D("1.6")
    assert result.changed == {account.pk: CallStatus.CURED}
    assert client_status(account) == ClientStatus.ACTIVE
    assert MarginNotification.objects.filter(event=CallEvent.CURED).count() == 2


def test_a_warning_cured_by_the_price_ends_and_a_new_breach_opens_a_new_call(account, a600):
    quote(a600, "3.50")
    engine.tick([a600.pk])
    quote(a600, "4.00")  # 140%: on the line is not below it
    engine.tick([a600.pk])
    quote(a600, "3.90")
    engine.tick([a600.pk])

    assert list(MarginCall.objects.order_by("pk").values_list("status", flat=True)) == [
        CallStatus.CURED,
        CallStatus.WARNING,
    ]


def test_the_deadline_counts_trading_days_across_a_holiday_and_a_weekend(
    account, a600, liquidation_started
):
    quote(a600, "3.50", day=THURSDAY)
    engine.sweep(on=THURSDAY, closing=True)
    call = MarginCall.objects.get()
    assert call.due_on == date(2026, 5, 7)  # Wed 6 May is the 1st trading day, Thu 7 the 2nd

    engine.sweep(on=date(2026, 5, 7))  # the last day: still a call
    assert MarginCall.objects.get().status == CallStatus.ISSUED
    assert liquidation_started == []

    engine.sweep(on=date(2026, 5, 8))
    call.refresh_from_db()
    assert call.status == CallStatus.LIQUIDATING
    assert call.liquidation_reason == "deadline 2026-05-07 passed with the ratio at 135.00%"
    assert client_status(account) == ClientStatus.LIQUIDATING
    assert [c.pk for c, _ in liquidation_started] == [call.pk]


def test_below_the_liquidation_line_liquidation_starts_at_once(account, a600, liquidation_started):
    quote(a600, "2.50")
    engine.tick([a600.pk])

    call = MarginCall.objects.get()
    assert call.status == CallStatus.LIQUIDATING
    assert call.liquidation_reason == "ratio 125.00% is below the liquidation line 130.00%"
    assert call.amount_due == D("35000.00")
    assert client_status(account) == ClientStatus.LIQUIDATING
    assert [c.pk for c, _ in liquidation_started] == [call.pk]
    assert MarginNotification.objects.filter(event=CallEvent.LIQUIDATION).count() == 2

    engine.tick([a600.pk])  # nothing more to do while liquidating
    assert len(liquidation_started) == 1


def test_call_reassess_closes_a_liquidation_once_the_ratio_is_restored(account, a600):
    from risk.margin.hooks import call_reassess

    quote(a600, "2.50")
    engine.tick([a600.pk])
    fund(account, "35000")  # as if the liquidation's sales had brought the cash in

    call = call_reassess(account, actor=None)

    assert call is not None
    assert call.status == CallStatus.CLOSED
    assert client_status(account) == ClientStatus.ACTIVE


def test_a_tick_only_touches_holders_of_the_instrument(make_staff, a600):
    from tests.custody.trading import stock

    other = stock("600001")
    holder = borrower(make_staff, a600)
    bystander = borrower(make_staff, other)
    quote(a600, "3.50")
    quote(other, "3.50")  # also below the line, but its instrument did not tick

    result = engine.tick([a600.pk])

    assert result.evaluated == 1
    assert list(MarginCall.objects.values_list("margin_account_id", flat=True)) == [holder.pk]
    assert not MarginCall.objects.filter(margin_account=bystander).exists()


@pytest.mark.parametrize("bad", [[999999], []])
def test_a_tick_for_unknown_instruments_changes_nothing(account, a600, bad):
    quote(a600, "2.50")
    result = engine.tick(bad)
    assert result.evaluated == 0
    assert not MarginCall.objects.exists()


def test_one_sweep_opens_many_calls_together_each_with_history_and_notices(
    make_staff, a600, liquidation_started
):
    # Same debt and price, different holdings: 200%, 135% (warning) and 125% (liquidation).
    healthy = borrower(make_staff, a600, shares="10000")
    warned = borrower(make_staff, a600, shares="3500")
    sold = borrower(make_staff, a600, shares="2500")
    quote(a600, "10.00")

    result = engine.sweep()

    assert result.changed == {
        warned.pk: CallStatus.WARNING,
        sold.pk: CallStatus.LIQUIDATING,
    }
    assert not MarginCall.objects.filter(margin_account=healthy).exists()
    warning = MarginCall.objects.get(margin_account=warned)
    assert warning.ratio_at_open == D("1.35")
    assert [h.status for h in warning.history.all()] == [CallStatus.WARNING]
    liquidating = MarginCall.objects.get(margin_account=sold)
    assert liquidating.ratio_at_open == D("1.25")
    assert sorted(h.status for h in liquidating.history.all()) == [
        CallStatus.LIQUIDATING,
        CallStatus.WARNING,
    ]
    assert [c.pk for c, _actor in liquidation_started] == [liquidating.pk]
    events = sorted(
        MarginNotification.objects.filter(channel=Channel.PORTAL).values_list("call", "event")
    )
    assert events == sorted(
        [
            (warning.pk, CallEvent.WARNING),
            (liquidating.pk, CallEvent.WARNING),
            (liquidating.pk, CallEvent.LIQUIDATION),
        ]
    )
    assert engine.sweep().changed == {}  # nothing moved: nothing written again
    assert MarginCall.objects.count() == 2


def test_a_mass_event_is_delivered_by_several_tasks(
    make_staff, a600, monkeypatch, django_capture_on_commit_callbacks
):
    from risk.margin import tasks
    from risk.margin.services import notifications

    monkeypatch.setattr(notifications, "SEND_BATCH", 2)
    queued: list[list[int]] = []
    monkeypatch.setattr(tasks.send_notifications, "delay", queued.append)
    accounts = [borrower(make_staff, a600, shares="3500") for _ in range(3)]
    quote(a600, "10.00")

    with django_capture_on_commit_callbacks(execute=True):
        engine.sweep()

    assert MarginCall.objects.count() == len(accounts)
    pending = sorted(
        MarginNotification.objects.filter(status=NotificationStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    assert len(pending) >= 3  # at least the portal row of each of the three warnings
    assert all(len(batch) <= 2 for batch in queued)
    assert len(queued) == (len(pending) + 1) // 2
    assert sorted(pk for batch in queued for pk in batch) == pending
