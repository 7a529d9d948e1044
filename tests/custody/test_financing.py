"""Financing drawdowns and repayments: refusals change nothing; repayment order; idempotency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.enums import StaffRole
from core.exceptions import IllegalTransition, InvalidInput
from core.fsm import apply_transition
from credit.capacity import capacity_for
from credit.services import credit_line_suspend
from custody.enums import ChartCode, EntryKind, FinancingKind
from custody.models import FinancingMovement, JournalEntry
from custody.selectors import natural_balances
from custody.services.financing import financing_draw, financing_repay
from custody.services.ledger import credit, debit, post_entry
from tests.custody.trading import make_trader

pytestmark = pytest.mark.usefixtures("credit_rules")
C = ChartCode
D = Decimal


@pytest.fixture
def ops(make_staff):
    return make_staff(StaffRole.OPERATIONS)


@pytest.fixture
def account(make_staff):
    return make_trader(make_staff, cash="100000", limit="500000")


def draw(account, amount, key="d1", **kw):
    return financing_draw(margin_account=account, amount=amount, by=None, idempotency_key=key, **kw)


def assert_nothing_posted(account, before):
    assert natural_balances(account) == before
    assert not FinancingMovement.objects.exists()
    assert not JournalEntry.objects.filter(kind=EntryKind.DRAWDOWN).exists()


def test_a_drawdown_posts_principal_and_cash_and_counts_as_used_credit(account):
    movement = draw(account, "50000")

    assert (movement.kind, movement.amount, movement.principal) == (
        FinancingKind.DRAW,
        D("50000.00"),
        D("50000.00"),
    )
    assert natural_balances(account) == {
        C.CLIENT_CASH: D("150000.00"),
        C.FINANCED_PRINCIPAL: D("50000.00"),
    }
    # credit's capacity now reads the ledger (provider registered by custody)
    capacity = capacity_for(client=account.client, at=timezone.now())
    assert (capacity.used, capacity.available) == (D("50000.00"), D("450000.00"))
    assert draw(account, "50000").pk == movement.pk  # same key, same answer


def test_a_drawdown_above_the_package_leverage_is_refused(account):
    draw(account, "50000")
    before = natural_balances(account)

    with pytest.raises(InvalidInput) as refused:
        draw(account, "40000", key="d2")

    # own eligible margin = cash 150,000 − debt 50,000 = 100,000; balanced 0.8 → 80,000 cap
    assert str(refused.value) == (
        "drawdown of CNY 40,000.00 would take financed principal to CNY 90,000.00, above 0.8 × "
        "own eligible margin CNY 100,000.00 = CNY 80,000.00 (package balanced effective max "
        "financing ratio); at most CNY 30,000.00 can be drawn"
    )
    assert natural_balances(account) == before
    assert FinancingMovement.objects.count() == 1


def test_a_drawdown_above_the_line_available_is_refused(make_staff):
    account = make_trader(make_staff, cash="100000", limit="50000")
    before = natural_balances(account)
    with pytest.raises(InvalidInput) as refused:
        draw(account, "60000")
    assert str(refused.value) == (
        "drawdown of CNY 60,000.00 is above the available credit of CNY 50,000.00 "
        "(limit CNY 50,000.00, used CNY 0.00)"
    )
    assert_nothing_posted(account, before)


def test_without_a_credit_line_nothing_can_be_drawn(make_staff):
    account = make_trader(make_staff, cash="100000", limit=None)
    with pytest.raises(InvalidInput, match="^drawdown refused: the client has no credit line$"):
        draw(account, "1000")
    assert_nothing_posted(account, {C.CLIENT_CASH: D("100000.00")})


def test_a_suspended_or_expired_line_refuses_a_drawdown(account, ops):
    before = natural_balances(account)
    line = account.client.credit_lines.get()
    with pytest.raises(InvalidInput, match=rf"credit line #{line.pk} expired on {line.valid_to}"):
        draw(account, "1000", on=date(2027, 1, 4))
    credit_line_suspend(credit_line=line, by=ops, reason="compliance hold")
    with pytest.raises(InvalidInput) as refused:
        draw(account, "1000", key="d2")
    assert str(refused.value) == f"drawdown refused: credit line #{line.pk} is suspended"
    assert_nothing_posted(account, before)


def test_a_client_in_margin_call_may_not_draw(account, ops):
    client = account.client
    apply_transition(client, "issue_margin_call", by=ops, reason="ratio under the line")
    client.save()
    before = natural_balances(account)
    with pytest.raises(IllegalTransition) as refused:
        draw(account, "1000")
    assert str(refused.value) == (
        f"drawdown refused: client {client.client_no} is margin call; only active clients may "
        "draw financing"
    )
    assert_nothing_posted(account, before)


def accrue(account, code, amount, key):
    income = C.INTEREST_INCOME if code == C.INTEREST_RECEIVABLE else C.FEE_INCOME
    post_entry(
        key=key,
        kind=EntryKind.INTEREST,
        business_date=timezone.localdate(),
        legs=[debit(code, D(amount), account), credit(income, D(amount))],
    )


def test_a_repayment_pays_interest_then_fees_then_principal(account):
    draw(account, "50000")
    accrue(account, C.INTEREST_RECEIVABLE, "100.00", "i1")
    accrue(account, C.FEES_RECEIVABLE, "50.00", "f1")

    movement = financing_repay(
        margin_account=account, amount="20000", by=None, idempotency_key="r1"
    )

    assert (movement.interest, movement.fees, movement.principal) == (
        D("100.00"),
        D("50.00"),
        D("19850.00"),
    )
    assert natural_balances(account) == {
        C.CLIENT_CASH: D("130000.00"),
        C.FINANCED_PRINCIPAL: D("30150.00"),
        C.INTEREST_RECEIVABLE: D("0.00"),
        C.FEES_RECEIVABLE: D("0.00"),
    }


def test_a_repayment_above_what_is_owed_or_the_cash_is_refused(make_staff, account):
    draw(account, "50000")
    accrue(account, C.INTEREST_RECEIVABLE, "100.00", "i1")
    before = natural_balances(account)
    with pytest.raises(InvalidInput) as refused:
        financing_repay(margin_account=account, amount="50100.01", by=None, idempotency_key="r1")
    assert str(refused.value) == (
        "repayment of CNY 50,100.01 is more than the CNY 50,100.00 owed (interest CNY 100.00, "
        "fees CNY 0.00, principal CNY 50,000.00)"
    )
    poor = make_trader(make_staff, cash="10", limit="500000")
    post_entry(
        key="lend-poor",
        kind=EntryKind.DRAWDOWN,
        business_date=timezone.localdate(),
        legs=[debit(C.FINANCED_PRINCIPAL, D("5"), poor), credit(C.CLIENT_CASH, D("5"), poor)],
    )
    post_entry(
        key="spend-poor",
        kind=EntryKind.ADJUSTMENT,
        business_date=timezone.localdate(),
        legs=[debit(C.CLIENT_CASH, D("14"), poor), credit(C.SUSPENSE, D("14"))],
    )
    with pytest.raises(InvalidInput, match=r"above the available cash of CNY 1.00"):
        financing_repay(margin_account=poor, amount="5", by=None, idempotency_key="r2")
    fresh = make_trader(make_staff, cash="10", limit="500000")
    with pytest.raises(InvalidInput, match="owes nothing"):
        financing_repay(margin_account=fresh, amount="5", by=None, idempotency_key="r3")
    assert natural_balances(account) == before
    assert FinancingMovement.objects.filter(kind=FinancingKind.REPAY).count() == 0
