"""Read one account's state on a trading day into the planner's input (a handful of queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from core import params
from core.money import ZERO, to_decimal
from custody.credit_terms import credit_context
from custody.enums import OPEN_ORDER_STATUSES, OrderPurpose
from custody.models import MarginAccount, Order, Position
from custody.trading_selectors import sellable_on
from custody.valuation import account_valuation
from markets.calendar import add_trading_days
from markets.enums import Side
from markets.fees import COMMISSION_SET_KEY
from markets.models import DailyBar, Quote
from markets.rules import MarketDay, RuleBook, market_days
from markets.rules.book import FUND_KINDS
from markets.selectors import latest_prices
from risk.liquidation.models import LiquidateLast
from risk.liquidation.planner import FeeRates, PlanInput, PositionInput
from risk.liquidation.rules import LiquidationPolicy, liquidation_policy


@dataclass(frozen=True)
class Terms:
    """What the plan aims at, and where that came from."""

    target: Decimal
    buffer: Decimal
    order_policy: str
    participation: Decimal
    source: str


def account_terms(account: MarginAccount, on: date, policy: LiquidationPolicy) -> Terms:
    context = credit_context(account.client, on)
    if context.terms is not None:
        return Terms(
            target=context.terms.topup_target,
            buffer=policy.buffer,
            order_policy=context.terms.liquidation_order,
            participation=policy.participation,
            source=f"package {context.terms.code} v{context.terms.version_id}",
        )
    return Terms(
        target=policy.fallback_target,
        buffer=policy.buffer,
        order_policy=policy.fallback_order,
        participation=policy.participation,
        source=f"liquidation-policy fallback ({context.reason})",
    )


def fee_rates(account: MarginAccount, on: date, book: RuleBook) -> FeeRates:
    rules = book.on(on)
    context = credit_context(account.client, on)
    rate = (
        context.terms.commission_rate
        if context.terms is not None
        else params.value(COMMISSION_SET_KEY, "commission_rate", on=on)
    )
    return FeeRates(
        commission_rate=min(to_decimal(rate), rules["commission_max_rate"]),
        commission_min=to_decimal(rules["commission_min"]),
        stamp_duty_rate=rules["stamp_duty_rate"],
        transfer_fee_rate=rules["transfer_fee_rate"],
        fund_stamp_duty_rate=rules["fund_stamp_duty_rate"],
        fund_transfer_fee_rate=rules["fund_transfer_fee_rate"],
    )


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _average_volumes(ids: list[int], on: date, days: int) -> dict[int, Decimal]:
    """Average daily volume over the last ``days`` bars before ``on`` (one query)."""
    start = add_trading_days(on, -days)
    volumes: dict[int, list[Decimal]] = defaultdict(list)
    rows = DailyBar.objects.filter(
        instrument_id__in=ids, date__gte=start, date__lt=on, volume__gt=0
    ).values_list("instrument_id", "volume")
    for pk, volume in rows:
        volumes[pk].append(volume)
    return {pk: sum(v, ZERO) / len(v) for pk, v in volumes.items() if v}


def _locked_limit_down(ids: list[int], on: date, markets: dict[int, MarketDay]) -> set[int]:
    """Instruments locked at limit-down on ``on``: the day's bar is one price at the limit, or
    (intraday, no bar yet) the last quote is at the limit with nobody bidding."""
    locked: set[int] = set()
    bars = {b.instrument_id: b for b in DailyBar.objects.filter(instrument_id__in=ids, date=on)}
    for pk, bar in bars.items():
        down = markets[pk].limit_down
        if down is not None and bar.is_one_price and bar.close <= down:
            locked.add(pk)
    rest = [pk for pk in ids if pk not in bars]
    if rest:
        last: dict[int, Quote] = {}
        for quote in Quote.objects.filter(instrument_id__in=rest, day=on).order_by("ts"):
            last[quote.instrument_id] = quote
        for pk, quote in last.items():
            down = markets[pk].limit_down
            if down is not None and quote.last <= down and quote.bid is None:
                locked.add(pk)
    return locked


def _open_sells(
    account: MarginAccount, ref: str | None
) -> tuple[dict[int, int], dict[int, int], dict[int, list[int]]]:
    """Open sell quantities: the client's own, this liquidation's, and this liquidation's ids."""
    client: dict[int, int] = defaultdict(int)
    ours: dict[int, int] = defaultdict(int)
    ids: dict[int, list[int]] = defaultdict(list)
    for order in Order.objects.filter(
        margin_account=account, status__in=OPEN_ORDER_STATUSES, side=Side.SELL
    ).order_by("pk"):
        if ref and order.purpose == OrderPurpose.LIQUIDATION and order.liquidation_ref == ref:
            ours[order.instrument_id] += order.remaining
            ids[order.instrument_id].append(order.pk)
        else:
            client[order.instrument_id] += order.remaining
    return client, ours, ids


def plan_input(
    account: MarginAccount, on: date, *, terms: Terms, ref: str | None = None
) -> PlanInput:
    """The planner's input for ``account`` on trading day ``on``.

    Cash and debt are the ledger's (``account_valuation``); positions are priced at the latest
    price seen by the end of ``on`` (the day's close once its bar is in, else the last quote).
    ``ref`` names the liquidation whose open orders count as already committed.
    """
    book = RuleBook.load()
    valuation = account_valuation(margin_account=account, on=on)
    positions = list(
        Position.objects.filter(margin_account=account, quantity__gt=0)
        .select_related("instrument")
        .order_by("instrument__code")
    )
    ids = [p.instrument_id for p in positions]
    instruments = [p.instrument for p in positions]
    markets = market_days(instruments, on, book=book)
    prices = latest_prices(ids, as_of=_end_of(on))
    advs = _average_volumes(ids, on, liquidation_policy(on).adv_days)
    locked = _locked_limit_down(ids, on, markets)
    client_sells, ours, order_ids = _open_sells(account, ref)
    last = set(
        LiquidateLast.objects.filter(margin_account=account).values_list(
            "instrument__code", flat=True
        )
    )
    rows = []
    for p in positions:
        market = markets[p.instrument_id]
        price = prices.get(p.instrument_id)
        sellable = min(sellable_on(p, on), int(p.quantity))
        rows.append(
            PositionInput(
                instrument_id=p.instrument_id,
                code=p.instrument.code,
                quantity=int(p.quantity),
                sellable=sellable,
                lots=market.lots,
                price=price.price if price is not None else None,
                cost_basis=p.total_cost,
                adv=advs.get(p.instrument_id),
                fund=p.instrument.kind in FUND_KINDS,
                halt=market.halt,
                one_price_limit_down=p.instrument_id in locked,
                limit_down=market.limit_down,
                in_client_orders=client_sells.get(p.instrument_id, 0),
                committed=min(ours.get(p.instrument_id, 0), sellable),
                committed_order_ids=tuple(order_ids.get(p.instrument_id, [])),
            )
        )
    return PlanInput(
        cash=valuation.cash,
        debt=valuation.liabilities,
        positions=tuple(rows),
        target=terms.target,
        buffer=terms.buffer,
        order_policy=terms.order_policy,
        fees=fee_rates(account, on, book),
        participation=terms.participation,
        liquidate_last=frozenset(last),
    )
