"""Fill capture: one balanced journal entry per fill and the position moved, in one transaction.

Ledger (debit-positive), one entry of kind ``trade`` keyed ``fill-<exec id>``:

* **buy** of value V with commission c and transfer fee t, of which F is financed::

      Dr financed_principal     F            (融资买入: only the part own cash does not cover)
      Dr client_cash            V + c + t − F
      Cr clearing_settlement    V
      Cr commission_income      c
      Cr transfer_fee_payable   t

* **sell** of value V with c, stamp duty s, t; net proceeds P = V − c − s − t, of which R
  repays what the account owes (卖券还款: interest, then fees, then principal)::

      Dr clearing_settlement    V
      Cr commission_income      c
      Cr stamp_duty_payable     s
      Cr transfer_fee_payable   t
      Cr interest / fees / financed principal   R
      Cr client_cash            P − R

Rules implemented:

* Own cash first: a buy draws financing only for what the client's cash does not cover, and
  only on an active, in-date credit line (the pre-trade check has already reserved the credit;
  a fill is an exchange fact, so the line's limit is not re-checked here).
* Every sell on an account that owes anything repays first: the whole account is collateral for
  the debt, so proceeds go to the debt before they become free cash.
* Commission: the package's rate (the firm's ``brokerage-commission`` without a package), capped
  by the exchange maximum, and the CNY 5 minimum **per order, not per fill**: each fill is
  charged ``commission(order's filled value so far) − commission already charged``, so an order
  filled in pieces pays the minimum once. Stamp duty (sells) and the transfer fee are per fill
  at the rates in force on the trade date.
* Position: buys add to ``pending_quantity`` (sellable the next trading day, T+1) and to the
  cost basis (value + buying costs); sells take from the sellable quantity, release cost at the
  average, and book realised P&L = net proceeds − cost released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import IllegalTransition, InvalidInput
from core.fsm import apply_transition
from core.money import ZERO, format_money, quantize_money, quantize_price, to_decimal
from core.transactions import call_on_commit
from custody.credit_terms import CreditContext, credit_context
from custody.enums import OPEN_ORDER_STATUSES, ChartCode, EntryKind, FinancingKind, FinancingSource
from custody.fill_listeners import FillEvent, notify_fill_listeners
from custody.lock_objects import account_for_update, order_for_update, position_for_update
from custody.models import Fill, FinancingMovement, MarginAccount, Order, Position
from custody.selectors import natural_balances
from custody.services.financing import allocate_repayment, owed_by, repayment_legs
from custody.services.ledger import Leg, credit, debit, post_entry
from custody.services.positions import settle_pending
from markets.enums import OrderType, Side
from markets.fees import trade_costs
from markets.rules import RuleBook

C = ChartCode


@dataclass(frozen=True)
class FillInput:
    exec_id: str
    quantity: int
    price: Decimal
    executed_at: datetime
    trade_date: date


def _validate(exec_id: str, quantity: Any, price: Any, executed_at: datetime) -> FillInput:
    exec_id = (exec_id or "").strip()
    if not exec_id or len(exec_id) > 64:
        raise InvalidInput("a broker execution id of 1–64 characters is required", field="exec_id")
    qty = to_decimal(quantity)
    if qty <= 0 or qty != qty.to_integral_value():
        raise InvalidInput(
            f"fill {exec_id}: quantity {quantity} must be a positive whole number", field="quantity"
        )
    px = to_decimal(price)
    if px <= 0:
        raise InvalidInput(f"fill {exec_id}: price {price} must be positive", field="price")
    if timezone.is_naive(executed_at):
        raise InvalidInput(f"fill {exec_id}: the execution time needs a time zone", field="at")
    return FillInput(exec_id, int(qty), px, executed_at, timezone.localdate(executed_at))


def _refuse_duplicate(exec_id: str) -> None:
    existing = Fill.objects.filter(exec_id=exec_id).values_list("pk", "order_id").first()
    if existing is not None:
        raise InvalidInput(
            f"fill {exec_id} is a duplicate: it was already captured as fill #{existing[0]} of "
            f"order #{existing[1]}; nothing was posted",
            field="exec_id",
        )


def _check_order(order: Order, fill: FillInput) -> None:
    if order.status not in OPEN_ORDER_STATUSES:
        raise IllegalTransition(
            f"fill {fill.exec_id} refused: order #{order.pk} is {order.get_status_display()}"
        )
    if fill.quantity > order.remaining:
        raise InvalidInput(
            f"fill {fill.exec_id} of {fill.quantity} exceeds the {order.remaining} shares still "
            f"open on order #{order.pk}",
            field="quantity",
        )
    if fill.trade_date != order.trade_date:
        raise InvalidInput(
            f"fill {fill.exec_id} is dated {fill.trade_date}; order #{order.pk} is a day order "
            f"for {order.trade_date}",
            field="executed_at",
        )
    if order.order_type == OrderType.LIMIT and order.limit_price is not None:
        beyond = (order.side == Side.BUY and fill.price > order.limit_price) or (
            order.side == Side.SELL and fill.price < order.limit_price
        )
        if beyond:
            raise InvalidInput(
                f"fill {fill.exec_id} at {fill.price} is beyond the order's limit "
                f"{order.limit_price}",
                field="price",
            )


@dataclass
class Booking:
    """What one fill does to money: costs, financing, repayment, ledger legs."""

    value: Decimal
    commission: Decimal
    stamp_duty: Decimal
    transfer_fee: Decimal
    financed: Decimal = ZERO
    repaid: Decimal = ZERO
    net_amount: Decimal = ZERO
    legs: list[Leg] | None = None
    repayment: Any = None


def _costs(order: Order, fill: FillInput, context: CreditContext, book: RuleBook) -> Booking:
    value = quantize_money(fill.price * fill.quantity)
    rate = context.terms.commission_rate if context.terms is not None else None
    kind = order.instrument.kind
    so_far = trade_costs(
        side=order.side,
        value=order.filled_value + value,
        trade_date=fill.trade_date,
        kind=kind,
        commission_rate=rate,
        book=book,
    )
    this = trade_costs(
        side=order.side, value=value, trade_date=fill.trade_date, kind=kind, book=book
    )
    commission = max(ZERO, so_far.commission - order.commission)
    return Booking(value, commission, this.stamp_duty, this.transfer_fee)


def _nonzero(legs: list[Leg]) -> list[Leg]:
    return [leg for leg in legs if leg.amount != 0]


def _book_buy(
    account: MarginAccount, booking: Booking, context: CreditContext, exec_id: str
) -> None:
    total = booking.value + booking.commission + booking.transfer_fee
    cash = natural_balances(account, account.currency).get(C.CLIENT_CASH, ZERO)
    financed = max(ZERO, total - max(cash, ZERO))
    if financed > 0 and not context.usable:
        raise InvalidInput(
            f"fill {exec_id} refused: the buy costs {format_money(total)}, the client has "
            f"{format_money(cash)} and financing is not possible: {context.reason}",
            field="exec_id",
        )
    booking.financed = financed
    booking.net_amount = total
    booking.legs = _nonzero(
        [
            debit(C.FINANCED_PRINCIPAL, financed, account),
            debit(C.CLIENT_CASH, total - financed, account),
            credit(C.CLEARING_SETTLEMENT, booking.value),
            credit(C.COMMISSION_INCOME, booking.commission),
            credit(C.TRANSFER_FEE_PAYABLE, booking.transfer_fee),
        ]
    )


def _book_sell(account: MarginAccount, booking: Booking) -> None:
    proceeds = booking.value - booking.commission - booking.stamp_duty - booking.transfer_fee
    owed = owed_by(account)
    repay = min(proceeds, owed.total) if proceeds > 0 and owed.total > 0 else ZERO
    parts = allocate_repayment(owed, repay)
    booking.repaid = repay
    booking.repayment = parts
    booking.net_amount = -proceeds
    booking.legs = _nonzero(
        [
            debit(C.CLEARING_SETTLEMENT, booking.value),
            credit(C.COMMISSION_INCOME, booking.commission),
            credit(C.STAMP_DUTY_PAYABLE, booking.stamp_duty),
            credit(C.TRANSFER_FEE_PAYABLE, booking.transfer_fee),
            *repayment_legs(account, parts),
            credit(C.CLIENT_CASH, proceeds - repay, account),
        ]
    )


def _move_position(position: Position, side: str, fill: FillInput, booking: Booking) -> Decimal:
    """Update the locked position; return the realised P&L of a sell (0 for a buy)."""
    quantity = Decimal(fill.quantity)
    realised = ZERO
    if side == Side.BUY:
        position.quantity += quantity
        position.pending_quantity += quantity
        position.pending_since = fill.trade_date
        position.total_cost += booking.net_amount
    else:
        if position.quantity == quantity:
            released = position.total_cost
        else:
            released = quantize_money(position.total_cost * quantity / position.quantity)
        realised = -booking.net_amount - released
        position.quantity -= quantity
        position.sellable_quantity -= quantity
        position.total_cost -= released
        position.realised_pnl += realised
    position.average_cost = (
        quantize_price(position.total_cost / position.quantity) if position.quantity else ZERO
    )
    position.save()
    return realised


def fill_capture(
    *,
    order: Order,
    exec_id: str,
    quantity: Any,
    price: Any,
    executed_at: datetime,
    by: Any = None,
) -> Fill:
    """Capture one execution of ``order``; refused (nothing posted) if the id was seen before."""
    fill = _validate(exec_id, quantity, price, executed_at)
    _refuse_duplicate(fill.exec_id)
    try:
        with transaction.atomic():
            captured = _capture(order.pk, order.margin_account_id, fill, by)
    except IntegrityError as exc:
        # A concurrent capture of the same execution id won the unique constraint.
        _refuse_duplicate(fill.exec_id)
        raise exc
    return captured


def _capture(order_id: int, account_id: int, fill: FillInput, by: Any) -> Fill:
    account = account_for_update(account_id)
    order = order_for_update(order_id)
    _refuse_duplicate(fill.exec_id)
    _check_order(order, fill)
    position = position_for_update(account.pk, order.instrument_id)
    settle_pending(position, fill.trade_date)
    if order.side == Side.SELL and fill.quantity > position.sellable_quantity:
        raise InvalidInput(
            f"fill {fill.exec_id} sells {fill.quantity} {order.instrument.code} but only "
            f"{position.sellable_quantity} are sellable on {fill.trade_date} (T+1)",
            field="quantity",
        )
    context = credit_context(account.client, fill.trade_date)
    booking = _costs(order, fill, context, RuleBook.load())
    if order.side == Side.BUY:
        _book_buy(account, booking, context, fill.exec_id)
    else:
        _book_sell(account, booking)
    entry = post_entry(
        key=f"fill-{fill.exec_id}",
        kind=EntryKind.TRADE,
        business_date=fill.trade_date,
        legs=booking.legs or [],
        memo=f"{order.side} {fill.quantity} {order.instrument.code} @ {fill.price}",
        margin_account=account,
        created_by=by,
    )
    realised = _move_position(position, order.side, fill, booking)
    captured = Fill.objects.create(
        order=order,
        margin_account=account,
        instrument_id=order.instrument_id,
        side=order.side,
        exec_id=fill.exec_id,
        quantity=fill.quantity,
        price=fill.price,
        value=booking.value,
        executed_at=fill.executed_at,
        trade_date=fill.trade_date,
        commission=booking.commission,
        stamp_duty=booking.stamp_duty,
        transfer_fee=booking.transfer_fee,
        financed=booking.financed,
        repaid=booking.repaid,
        net_amount=booking.net_amount,
        realised_pnl=realised,
        currency=account.currency,
        entry=entry,
    )
    _record_financing(account, captured, booking, context, entry, by)
    _advance_order(order, fill, booking, by)
    call_on_commit(notify_fill_listeners, _event(captured, order))
    return captured


def _record_financing(
    account: MarginAccount,
    fill: Fill,
    booking: Booking,
    context: CreditContext,
    entry: Any,
    by: Any,
) -> None:
    common = {
        "margin_account": account,
        "credit_line": context.line,
        "currency": account.currency,
        "business_date": fill.trade_date,
        "entry": entry,
        "fill": fill,
        "created_by": by if getattr(by, "is_authenticated", False) else None,
    }
    if booking.financed > 0:
        FinancingMovement.objects.create(
            kind=FinancingKind.DRAW,
            source=FinancingSource.MARGIN_BUY,
            amount=booking.financed,
            principal=booking.financed,
            **common,
        )
    if booking.repaid > 0:
        parts = booking.repayment
        FinancingMovement.objects.create(
            kind=FinancingKind.REPAY,
            source=FinancingSource.SALE,
            amount=booking.repaid,
            interest=parts.interest,
            fees=parts.fees,
            principal=parts.principal,
            **common,
        )


def _advance_order(order: Order, fill: FillInput, booking: Booking, by: Any) -> None:
    order.filled_quantity += fill.quantity
    order.filled_value += booking.value
    order.commission += booking.commission
    order.financed_amount += booking.financed
    step = "fill" if order.filled_quantity == order.quantity else "fill_partially"
    apply_transition(order, step, by=by, reason=f"fill {fill.exec_id}")
    order.save()


def _event(fill: Fill, order: Order) -> FillEvent:
    return FillEvent(
        fill_id=fill.pk,
        order_id=order.pk,
        margin_account_id=fill.margin_account_id,
        instrument_id=fill.instrument_id,
        side=fill.side,
        quantity=int(fill.quantity),
        price=fill.price,
        trade_date=fill.trade_date,
        order_status=order.status,
    )
