"""Demo trading book: margin buys, a sell that repays, a rejected order and an open one.

Everything goes through the services a channel would use: ``order_submit`` (pre-trade checks),
the execution simulator on the demo's prices (the previous trading day's bar, today's quotes),
``positions_roll_sellable`` after the first day's close. Safe to run twice: orders are
idempotent by key and an order is sent to the simulator only while it has no fills.

The traders are the clients whose credit lines are active — the contracts demo had them sign
their contracts, which activated the lines. Every such account is funded and draws financing on
the demo's opening day (before the cleared days, so the nightly clearing accrues interest on
it); the first two trade on the last two sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from accounts.enums import ClientStatus
from core.demo import DemoContext
from core.exceptions import DomainError
from credit.enums import CreditLineStatus
from credit.models import CreditLine
from custody.brokers import SimulatorBroker, order_execute
from custody.demo import demo_account_open, demo_bank_account
from custody.enums import OPEN_ORDER_STATUSES, DepositStatus, OrderChannel
from custody.models import MarginAccount, Order
from custody.selectors import cash_balance
from custody.services.deposits import deposit_confirm, deposit_expect
from custody.services.financing import financing_draw
from custody.services.orders import orders_expire
from custody.services.positions import positions_roll_sellable
from custody.services.trading_reconcile import trading_differences
from markets import calendar
from markets.models import DailyBar, Instrument
from markets.rules import market_day
from markets.selectors import latest_prices
from risk.orders import order_submit

LINES = 2
STARTING_CASH = Decimal("600000.00")
DRAWDOWN = Decimal("150000.00")


@dataclass(frozen=True)
class Ticket:
    key: str
    code: str
    side: str
    share: Decimal  # of the account's starting cash (buys) or of the position (sells)
    order_type: str = "market"
    price: str = ""  # "high" (the day's high), "low_limit" (well under the market), "bad"


DAY_ONE = [
    Ticket("d1-pingan", "601318", "buy", Decimal("0.40"), "limit", "high"),
    Ticket("d1-cmb", "600036", "buy", Decimal("0.40"), "limit", "high"),
    Ticket("d1-yangtze", "600900", "buy", Decimal("0.30"), "limit", "high"),  # 融资买入
]
SESSION = [
    Ticket("s-sell-pingan", "601318", "sell", Decimal("0.50")),  # 卖券还款
    Ticket("s-citic", "600030", "buy", Decimal("0.20")),
    Ticket("s-resting", "600036", "buy", Decimal("0.05"), "limit", "low_limit"),
    Ticket("s-rejected", "601318", "buy", Decimal("0.01"), "limit", "bad"),
]


def _fund(ctx: DemoContext, account: MarginAccount) -> None:
    if account.orders.exists():
        return
    missing = STARTING_CASH - cash_balance(account)
    if missing <= 0:
        return
    deposit = deposit_expect(
        margin_account=account,
        amount=missing,
        idempotency_key=f"demo-trading-deposit-{account.pk}",
        by=ctx.staff["ops1"],
        expected_on=ctx.opening_day,
    )
    if deposit.status == DepositStatus.EXPECTED:
        deposit_confirm(
            deposit=deposit,
            amount=missing,
            from_account_no=demo_bank_account(account.client),
            from_account_name=account.bank_account_holder,
            bank_reference=f"demo-trading-{account.pk}",
            by=ctx.staff["finance1"],
            business_date=ctx.opening_day,
        )


def _draw(ctx: DemoContext, account: MarginAccount) -> None:
    """融资: a drawdown on the opening day (the line and the package terms run from before it)."""
    if account.orders.exists():
        return
    try:
        financing_draw(
            margin_account=account,
            amount=DRAWDOWN,
            by=ctx.staff["ops1"],
            idempotency_key=f"demo-trading-draw-{account.pk}",
            on=ctx.opening_day,
        )
    except DomainError as refused:
        ctx.log(f"trading: no demo drawdown for {account.account_no}: {refused}")


def _traders(ctx: DemoContext) -> list[MarginAccount]:
    """The accounts of active clients with an active line, funded and financed; the first
    ``LINES`` of them trade."""
    lines = CreditLine.objects.filter(
        status=CreditLineStatus.ACTIVE, client__status=ClientStatus.ACTIVE
    ).order_by("pk")
    accounts = []
    for line in lines:
        account = demo_account_open(ctx, line.client)
        _fund(ctx, account)
        _draw(ctx, account)
        accounts.append(MarginAccount.objects.select_related("client").get(pk=account.pk))
    return accounts


def _lots(amount: Decimal, price: Decimal) -> int:
    return int((amount / price / 100).to_integral_value(rounding=ROUND_FLOOR)) * 100


def _ticket_price(ticket: Ticket, instrument: Instrument, day: date) -> Decimal | None:
    market = market_day(instrument, day)
    if ticket.price == "high":
        bar = DailyBar.objects.filter(instrument=instrument, date=day).first()
        return bar.high if bar is not None else market.limit_up
    latest = latest_prices([instrument.pk])[instrument.pk].price
    if ticket.price == "low_limit" and market.limit_down is not None:
        return max(market.limit_down, (latest * Decimal("0.93")).quantize(Decimal("0.01")))
    if ticket.price == "bad":
        return latest + Decimal("0.005")  # off the tick
    return None


def _quantity(
    ticket: Ticket, account: MarginAccount, instrument: Instrument, price: Decimal
) -> int:
    if ticket.side == "sell":
        held = account.positions.filter(instrument=instrument).first()
        return int(held.quantity * ticket.share) // 100 * 100 if held is not None else 100
    if ticket.price == "bad":
        return 150  # and not a whole lot
    return _lots(STARTING_CASH * ticket.share, price)


def _place(ctx: DemoContext, account: MarginAccount, ticket: Ticket, day: date) -> Order:
    key = f"demo-trade-{account.pk}-{ticket.key}"
    existing = Order.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing  # a second run: sizes depend on holdings that have moved since
    instrument = Instrument.objects.get(code=ticket.code)
    price = _ticket_price(ticket, instrument, day)
    mark = price or latest_prices([instrument.pk])[instrument.pk].price
    result = order_submit(
        margin_account=account,
        instrument=instrument,
        side=ticket.side,
        quantity=_quantity(ticket, account, instrument, mark),
        order_type=ticket.order_type,
        limit_price=price,
        channel=OrderChannel.PORTAL if ticket.side == "sell" else OrderChannel.OPS,
        submitted_by=ctx.staff["ops1"],
        idempotency_key=key,
        on=day,
    )
    return result.order


def _trade_day(ctx: DemoContext, account: MarginAccount, tickets: list[Ticket], day: date) -> None:
    broker = SimulatorBroker()
    for ticket in tickets:
        order = _place(ctx, account, ticket, day)
        if order.status in OPEN_ORDER_STATUSES and not order.fills.exists():
            order_execute(order=order, broker=broker, day=day, by=ctx.staff["ops1"])


def seed(ctx: DemoContext) -> None:
    if not Instrument.objects.filter(code__in=["601318", "600036", "600900", "600030"]).exists():
        ctx.log("trading: the markets demo has not seeded instruments; skipped")
        return
    session = ctx.session
    day_one = calendar.previous_trading_day(session)
    accounts = _traders(ctx)[:LINES]
    for n, account in enumerate(accounts):
        _trade_day(ctx, account, DAY_ONE if n == 0 else DAY_ONE[:1], day_one)
    orders_expire(trade_date=day_one)
    positions_roll_sellable(business_date=day_one)
    for n, account in enumerate(accounts):
        _trade_day(ctx, account, SESSION if n == 0 else SESSION[1:2], session)
    orders = Order.objects.filter(margin_account__in=accounts)
    ctx.log(
        f"trading: {len(accounts)} active account(s), {orders.count()} orders "
        f"({orders.filter(status='rejected').count()} rejected) on {day_one} and {session}; "
        f"reconciliation differences: {len(trading_differences())}"
    )
    if accounts:
        ctx.notes.append(
            "Trading: Custody → Orders (filter by status; the rejected order lists its reasons; "
            "'What-if' checks an order and shows the ratios and line prices), Fills, Positions "
            "(T+1: the nightly clearing made the last session's buys sellable for the next "
            "one), Financing movements; margin account "
            f"{accounts[0].account_no} has financed buys and a sale that repaid. "
            "Run 'manage.py reconcile_trading' to prove fills, positions and ledger agree."
        )
