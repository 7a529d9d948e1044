"""The pre-trade checks: every reason an order must be refused, all at once.

Order of the reasons: who may trade (client and account status), the instrument's day (halt,
price tick and band), the size (lot, sellable quantity), then — for buys that are not
liquidations — suitability, buying power (with the eligibility list for the financed part) and
concentration. A ``purpose="liquidation"`` order skips client status, suitability, buying
power and concentration, never the halt, tick, band, lot or sellable checks.

Rules decided here (docs/trading.md):

* Client status: buys only while ACTIVE; sells while ACTIVE, MARGIN_CALL or LIQUIDATING (they
  reduce risk); nothing in any other state (the credit relationship is not live). The margin
  account must be open (a frozen account takes liquidation orders only).
* Buying power = cash − open buy orders (reserved at their price plus costs) + what may still be
  drawn: min(line available, usable leverage × own eligible margin after the order − financed
  principal). Own eligible margin = cash + Σ quantity × price × haircut − debt.
* The financed part of a buy must be in an instrument the package accepts as collateral (board,
  kind) with a haircut above zero (not ST, suspended, delisting, or out-of-range P/E).
* Concentration (package ``concentration_single_stock`` / ``_single_board``): after the order,
  the instrument's (board's) market value ÷ the account's assets (cash + securities at market)
  may not exceed the limit — for buys that leave the account owing money with a maintenance
  ratio (what-if) below ``custody-trading/concentration_below_ratio`` (300%). Above it the debt
  is covered three times whatever the mix; a sell never increases concentration.
* Suitability: the client's suitability must allow the package's risk level (buys only).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accounts.enums import ClientStatus
from accounts.suitability import check_client_for_product
from core.exceptions import InvalidInput
from core.money import ZERO, format_money, quantize_money
from credit.haircuts import haircut_decision
from credit.rules import package_snapshot, regulatory_snapshot
from custody import rules as custody_rules
from custody.enums import MarginAccountStatus, OrderPurpose
from custody.services.financing import financing_headroom
from markets.enums import OrderType, Side
from markets.models import Instrument
from markets.rules import lot_problems, price_problems
from markets.rules.pure import percent
from risk.pretrade.context import TradeContext

SELL_STATUSES = {ClientStatus.ACTIVE, ClientStatus.MARGIN_CALL, ClientStatus.LIQUIDATING}


def status_reasons(ctx: TradeContext) -> list[str]:
    liquidation = ctx.order.purpose == OrderPurpose.LIQUIDATION
    account = ctx.account
    reasons = []
    if account.status == MarginAccountStatus.CLOSED or (
        account.status != MarginAccountStatus.OPEN and not liquidation
    ):
        reasons.append(
            f"margin account {account.account_no} is "
            f"{MarginAccountStatus(account.status).label.lower()}"
        )
    if liquidation:
        if ctx.order.side != Side.SELL:
            reasons.append("a liquidation order can only sell")
        return reasons
    status = ctx.client.status
    label = ClientStatus(status).label.lower()
    if ctx.order.side == Side.BUY and status != ClientStatus.ACTIVE:
        reasons.append(
            f"client {ctx.client.client_no} is {label}: only active clients may buy"
            + ("; selling to reduce risk is allowed" if status in SELL_STATUSES else "")
        )
    elif ctx.order.side == Side.SELL and status not in SELL_STATUSES:
        reasons.append(f"client {ctx.client.client_no} is {label}: orders are not accepted")
    return reasons


def market_reasons(ctx: TradeContext) -> list[str]:
    reasons = [ctx.market.halt] if ctx.market.halt else []
    if ctx.order.order_type == OrderType.LIMIT and ctx.order.limit_price is not None:
        reasons += price_problems(ctx.market_no_halt, ctx.order.limit_price)
    elif ctx.mark_price is None:
        reasons.append(f"{ctx.order.instrument.code} has no price yet: use a limit order")
    return reasons


def size_reasons(ctx: TradeContext) -> list[str]:
    lots = ctx.market.lots
    if ctx.order.side == Side.BUY:
        return lot_problems(lots, Side.BUY, ctx.order.quantity, 0)
    held = int(ctx.position.quantity) if ctx.position is not None else 0
    if ctx.order.quantity > ctx.sellable:
        pending = int(ctx.position.pending_quantity) if ctx.position is not None else 0
        in_orders = ctx.exposure.sell_quantity.get(ctx.order.instrument.pk, 0)
        detail = [f"{held} held"]
        if pending and ctx.position is not None and ctx.position.pending_since == ctx.day:
            detail.append(f"{pending} bought today are sellable from the next trading day (T+1)")
        if in_orders:
            detail.append(f"{in_orders} already in open sell orders")
        return [
            f"sell quantity {ctx.order.quantity} exceeds the {max(ctx.sellable, 0)} shares of "
            f"{ctx.order.instrument.code} sellable today ({'; '.join(detail)})"
        ]
    return lot_problems(lots, Side.SELL, ctx.order.quantity, ctx.sellable)


def suitability_reasons(ctx: TradeContext) -> list[str]:
    terms = ctx.credit.terms
    if terms is None:
        return []
    try:
        check_client_for_product(client=ctx.client, product_risk_level=terms.risk_level, on=ctx.day)
    except InvalidInput as refused:
        return [f"suitability: {refused.message}"]
    return []


def _needed(ctx: TradeContext) -> tuple[Decimal, Decimal]:
    """(total the account must pay for open buys and this one, cash short of it)."""
    value = quantize_money(ctx.order_value(ctx.reserve_price))
    total = ctx.open_buy_costs + value + ctx.costs(value)
    return total, max(ZERO, total - max(ctx.cash, ZERO))


def _eligibility_reason(ctx: TradeContext) -> str | None:
    package = ctx.credit.package
    if package is None:
        return None
    decision = haircut_decision(
        ctx.order.instrument,
        package_snapshot(package, ctx.day),
        regulatory_snapshot(ctx.day),
        ctx.day,
        suspended=bool(ctx.market.halt),
    )
    if decision.rate > 0:
        return None
    return (
        f"{ctx.order.instrument.code} is not eligible for financed buying under package "
        f"{package.code}: {decision.reason}"
    )


def buying_power_reasons(ctx: TradeContext) -> list[str]:
    total, short = _needed(ctx)
    if short <= 0:
        return []
    need = (
        f"buying power: the order needs {format_money(total)} with open buy orders, cash is "
        f"{format_money(ctx.cash)}, so {format_money(short)} would be financed"
    )
    credit = ctx.credit
    if not credit.usable or credit.package is None:
        return [f"{need}, and financing is not possible: {credit.reason}"]
    reasons = []
    ineligible = _eligibility_reason(ctx)
    if ineligible:
        reasons.append(ineligible)
    holdings: list[tuple[Any, Any, Any]] = [
        (h.instrument, h.quantity, h.price) for h in ctx.holdings.values()
    ]
    for instrument_id, quantity in ctx.exposure.buy_quantity.items():
        price = ctx.exposure.buy_value[instrument_id] / quantity if quantity else ZERO
        holdings.append((_instrument(ctx, instrument_id), quantity, price))
    holdings.append((ctx.order.instrument, ctx.order.quantity, ctx.reserve_price or ZERO))
    room = financing_headroom(
        credit,
        used=ctx.owed.principal,
        cash=ctx.cash - total,
        debt=ctx.owed.total,
        holdings=holdings,
        on=ctx.day,
    )
    if short > room.available:
        reasons.append(
            f"{need}, above the available credit of {format_money(room.available)} "
            f"(limit {format_money(room.limit)}, used {format_money(room.used)})"
        )
    if room.used + short > room.leverage_cap:
        reasons.append(
            f"{need}; financed principal would be {format_money(room.used + short)}, above "
            f"{room.max_ratio.normalize():f} × own eligible margin after the order "
            f"{format_money(room.own_margin)} = {format_money(room.leverage_cap)} "
            f"(package {credit.package.code})"
        )
    return reasons


def _instrument(ctx: TradeContext, instrument_id: int) -> Instrument:
    held = ctx.holdings.get(instrument_id)
    return held.instrument if held is not None else Instrument.objects.get(pk=instrument_id)


def concentration_reasons(ctx: TradeContext, ratio_after: Decimal | None) -> list[str]:
    terms = ctx.credit.terms
    if terms is None or ctx.mark_price is None:
        return []
    if ratio_after is None or ratio_after >= custody_rules.concentration_below_ratio(ctx.day):
        return []  # no debt, or covered so well that the mix is no risk to the firm
    mark = ctx.mark_price
    value = quantize_money(ctx.order_value(mark))
    instrument = ctx.order.instrument
    values: dict[int, tuple[str, Decimal]] = {
        i: (h.instrument.board, h.quantity * h.price) for i, h in ctx.holdings.items()
    }
    held = ctx.holdings.get(instrument.pk)
    after_qty = (held.quantity if held is not None else 0) + ctx.order.quantity
    values[instrument.pk] = (instrument.board, after_qty * mark)
    cash_after = ctx.cash - value - ctx.costs(value)
    cash_after = max(cash_after, ZERO)  # the financed part is spent on the shares
    assets = cash_after + sum((v for _, v in values.values()), ZERO)
    if assets <= 0:
        return []
    reasons = []
    stock_share = values[instrument.pk][1] / assets
    if stock_share > terms.concentration_single_stock:
        reasons.append(
            f"concentration: {instrument.code} would be {percent(_pct(stock_share))} of the "
            f"account's assets, above the {percent(terms.concentration_single_stock)} single-stock "
            f"limit of package {terms.code}"
        )
    board_value = sum((v for board, v in values.values() if board == instrument.board), ZERO)
    board_share = board_value / assets
    if board_share > terms.concentration_single_board:
        reasons.append(
            f"concentration: the {instrument.get_board_display()} would be "
            f"{percent(_pct(board_share))} of the account's assets, above the "
            f"{percent(terms.concentration_single_board)} single-board limit of package "
            f"{terms.code}"
        )
    return reasons


def _pct(share: Decimal) -> Decimal:
    return share.quantize(Decimal("0.0001"))


def all_reasons(ctx: TradeContext, ratio_after: Decimal | None) -> list[str]:
    reasons = status_reasons(ctx) + market_reasons(ctx) + size_reasons(ctx)
    if ctx.order.purpose == OrderPurpose.LIQUIDATION or ctx.order.side == Side.SELL:
        return reasons
    return (
        reasons
        + suitability_reasons(ctx)
        + buying_power_reasons(ctx)
        + concentration_reasons(ctx, ratio_after)
    )
