"""Everything a pre-trade check reads about one account, one instrument and one day (gathered once).

Prices: positions are marked at the latest price (``markets.selectors.latest_prices``: today's
last quote, else the last close). The order itself is priced at its *mark* (the limit price, or
the latest price for a market order) for the what-if, and *reserved* at its limit price, or for
a market buy at the day's limit-up (the most it can cost), for buying power.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from accounts.models import Client
from core.exceptions import InvalidInput
from core.money import ZERO, to_decimal
from custody.credit_terms import CreditContext, credit_context
from custody.enums import ChartCode
from custody.models import MarginAccount, Position
from custody.selectors import natural_balances
from custody.services.financing import Owed, owed_by
from custody.trading_selectors import OpenExposure, open_exposure, open_orders, sellable_on
from markets.enums import OrderType, Side
from markets.fees import trade_costs
from markets.models import Instrument
from markets.rules import MarketDay, RuleBook, market_day
from markets.selectors import latest_prices


@dataclass(frozen=True)
class OrderInput:
    instrument: Instrument
    side: str
    quantity: int
    order_type: str
    limit_price: Decimal | None
    purpose: str


@dataclass(frozen=True)
class Holding:
    instrument: Instrument
    quantity: Decimal
    price: Decimal  # latest price (0 when the instrument has none)


@dataclass(frozen=True)
class TradeContext:
    account: MarginAccount
    client: Client
    day: date
    book: RuleBook
    market: MarketDay
    order: OrderInput
    cash: Decimal
    owed: Owed
    credit: CreditContext
    holdings: dict[int, Holding]  # instrument id → held position
    latest: Decimal | None  # latest price of the ordered instrument
    position: Position | None
    sellable: int  # T+1 sellable today, less open sell orders
    exposure: OpenExposure
    open_buy_costs: Decimal  # Σ remaining × reference price + estimated costs of open buys
    mark_price: Decimal | None
    reserve_price: Decimal | None

    @property
    def market_no_halt(self) -> MarketDay:
        return replace(self.market, halt=None)

    def order_value(self, price: Decimal | None) -> Decimal:
        return self.order.quantity * (price or ZERO)

    def costs(self, value: Decimal, side: str | None = None) -> Decimal:
        """Estimated commission (package rate, CNY 5 minimum), stamp duty and transfer fee."""
        if value <= 0:
            return ZERO
        rate = self.credit.terms.commission_rate if self.credit.terms is not None else None
        return trade_costs(
            side=side or self.order.side,
            value=value,
            trade_date=self.day,
            kind=self.order.instrument.kind,
            commission_rate=rate,
            book=self.book,
        ).total


def validate_order_input(
    *,
    instrument: Instrument,
    side: str,
    quantity: object,
    order_type: str,
    limit_price: object,
    purpose: str,
) -> OrderInput:
    """Malformed input is refused outright (no order row): these are not rule decisions."""
    if side not in Side.values:
        raise InvalidInput(f"side {side!r} must be buy or sell", field="side")
    if order_type not in OrderType.values:
        raise InvalidInput(f"order type {order_type!r} must be limit or market", field="order_type")
    qty = to_decimal(quantity)
    if qty <= 0 or qty != qty.to_integral_value():
        raise InvalidInput(
            f"quantity {quantity} must be a positive whole number of shares", field="quantity"
        )
    price = None if limit_price in (None, "") else to_decimal(limit_price)
    if order_type == OrderType.LIMIT and (price is None or price <= 0):
        raise InvalidInput("a limit order needs a limit price above zero", field="limit_price")
    if order_type == OrderType.MARKET:
        price = None
    return OrderInput(instrument, side, int(qty), order_type, price, purpose)


def _open_buy_costs(
    ctx_account: MarginAccount,
    day: date,
    rate_ctx: CreditContext,
    book: RuleBook,
    exclude: int | None,
) -> Decimal:
    total = ZERO
    rate = rate_ctx.terms.commission_rate if rate_ctx.terms is not None else None
    for order in open_orders(ctx_account).exclude(pk=exclude or 0):
        if order.side != Side.BUY:
            continue
        value = order.remaining * (order.reference_price or order.limit_price or ZERO)
        if value > 0:
            costs = trade_costs(
                side=Side.BUY,
                value=value,
                trade_date=day,
                kind=order.instrument.kind,
                commission_rate=rate,
                book=book,
            )
            total += value + costs.total
    return total


def gather(
    *, account: MarginAccount, order: OrderInput, day: date, exclude_order_id: int | None = None
) -> TradeContext:
    book = RuleBook.load()
    market = market_day(order.instrument, day, book=book)
    positions = {
        p.instrument_id: p
        for p in Position.objects.filter(margin_account=account).select_related("instrument")
    }
    ids = {pid for pid, p in positions.items() if p.quantity > 0} | {order.instrument.pk}
    prices = latest_prices(ids)
    holdings = {
        pid: Holding(p.instrument, p.quantity, prices[pid].price if pid in prices else ZERO)
        for pid, p in positions.items()
        if p.quantity > 0
    }
    latest = prices[order.instrument.pk].price if order.instrument.pk in prices else None
    position = positions.get(order.instrument.pk)
    exposure = open_exposure(account, exclude_order_id=exclude_order_id)
    sellable = sellable_on(position, day) if position is not None else 0
    sellable -= exposure.sell_quantity.get(order.instrument.pk, 0)
    credit = credit_context(account.client, day)
    mark = order.limit_price or latest
    reserve = order.limit_price
    if reserve is None:
        reserve = market.limit_up if order.side == Side.BUY and market.limit_up else latest
    return TradeContext(
        account=account,
        client=account.client,
        day=day,
        book=book,
        market=market,
        order=order,
        cash=natural_balances(account, account.currency).get(ChartCode.CLIENT_CASH, ZERO),
        owed=owed_by(account),
        credit=credit,
        holdings=holdings,
        latest=latest,
        position=position,
        sellable=sellable,
        exposure=exposure,
        open_buy_costs=_open_buy_costs(account, day, credit, book, exclude_order_id),
        mark_price=mark,
        reserve_price=reserve,
    )
