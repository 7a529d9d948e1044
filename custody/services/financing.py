"""Financing: drawdowns against the credit line and repayments of what is owed.

Ledger (debit-positive):

* drawdown      Dr financed_principal / Cr client_cash
* repayment     Dr client_cash / Cr interest_receivable, fees_receivable, financed_principal —
                **interest first, then fees, then principal** (what costs the client most and
                what the firm has already earned is settled first; principal last).

A drawdown is refused, with nothing posted, when: the client is not ACTIVE; the margin account
is not open; there is no credit line, or it is not active (pending contract, suspended,
expired, closed) or out of its dates; the amount is above the line's available amount (limit −
financed principal outstanding); or the financed principal after it would exceed the package's
usable leverage × the own eligible margin (see :func:`financing_headroom`).

An active line can only exist once its contract is signed (the contracts stage activates it), so
"active line" is the signed-contract check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.enums import ClientStatus
from core.exceptions import IllegalTransition, InvalidInput
from core.idempotency import run_once
from core.money import ZERO, format_money, quantize_money
from credit.capacity import collateral_value
from custody.credit_terms import CreditContext, credit_context
from custody.enums import ChartCode, EntryKind, FinancingKind, FinancingSource, MarginAccountStatus
from custody.lock_objects import account_for_update
from custody.models import FinancingMovement, MarginAccount
from custody.selectors import natural_balances
from custody.services.guards import positive_amount
from custody.services.ledger import Leg, credit, debit, post_entry
from custody.trading_selectors import holdings_at_latest

C = ChartCode


@dataclass(frozen=True)
class Owed:
    interest: Decimal
    fees: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.fees + self.principal


def owed_by(margin_account: MarginAccount) -> Owed:
    balances = natural_balances(margin_account, margin_account.currency)
    return Owed(
        interest=balances.get(C.INTEREST_RECEIVABLE, ZERO),
        fees=balances.get(C.FEES_RECEIVABLE, ZERO),
        principal=balances.get(C.FINANCED_PRINCIPAL, ZERO),
    )


def allocate_repayment(owed: Owed, amount: Decimal) -> Owed:
    """Split ``amount`` (≤ owed.total): interest first, then fees, then principal."""
    interest = min(amount, max(owed.interest, ZERO))
    fees = min(amount - interest, max(owed.fees, ZERO))
    principal = min(amount - interest - fees, max(owed.principal, ZERO))
    return Owed(interest, fees, principal)


def repayment_legs(account: MarginAccount, parts: Owed) -> list[Leg]:
    """The credit legs of a repayment (the cash side is the caller's)."""
    legs = []
    for code, amount in (
        (C.INTEREST_RECEIVABLE, parts.interest),
        (C.FEES_RECEIVABLE, parts.fees),
        (C.FINANCED_PRINCIPAL, parts.principal),
    ):
        if amount > 0:
            legs.append(credit(code, amount, account))
    return legs


# --- drawdown checks ------------------------------------------------------------------------


def ensure_client_may_draw(account: MarginAccount) -> None:
    status = account.client.status
    if status != ClientStatus.ACTIVE:
        raise IllegalTransition(
            f"drawdown refused: client {account.client.client_no} is "
            f"{ClientStatus(status).label.lower()}; only active clients may draw financing"
        )
    if account.status != MarginAccountStatus.OPEN:
        raise IllegalTransition(
            f"drawdown refused: margin account {account.account_no} is "
            f"{MarginAccountStatus(account.status).label.lower()}"
        )


@dataclass(frozen=True)
class Headroom:
    """What may still be drawn: by the line (limit − used) and by the package's leverage."""

    limit: Decimal
    used: Decimal
    available: Decimal  # limit − used
    own_margin: Decimal  # cash + Σ qty × price × haircut − debt
    max_ratio: Decimal
    leverage_cap: Decimal  # own_margin × max_ratio: the most principal the package allows


def financing_headroom(
    context: CreditContext,
    *,
    used: Decimal,
    cash: Decimal,
    debt: Decimal,
    holdings: Sequence[tuple[Any, Any, Any]],
    on: date,
) -> Headroom:
    """Own eligible margin = cash + Σ quantity × price × haircut − debt (principal, interest and
    fees): the client's equity at collateral value. Financed principal may not exceed it × the
    package's effective maximum financing ratio. A drawdown leaves it unchanged (cash and debt
    both rise); a buy turns cash into securities at their haircut.
    """
    if context.line is None or context.package is None:
        raise InvalidInput("financing needs a credit line with a leverage package", field="amount")
    own = collateral_value(holdings, context.package, on, cash=cash - debt)
    limit = context.line.limit
    return Headroom(
        limit=limit,
        used=used,
        available=max(ZERO, limit - used),
        own_margin=own,
        max_ratio=context.max_financing_ratio,
        leverage_cap=quantize_money(max(own, ZERO) * context.max_financing_ratio),
    )


def draw_refusal(context: CreditContext, headroom: Headroom | None, amount: Decimal) -> str | None:
    """Why ``amount`` may not be drawn now (None if it may)."""
    if not context.usable:
        return f"drawdown refused: {context.reason}"
    if context.package is None or headroom is None:
        return "drawdown refused: the credit line has no leverage package"
    if amount > headroom.available:
        return (
            f"drawdown of {format_money(amount)} is above the available credit of "
            f"{format_money(headroom.available)} (limit {format_money(headroom.limit)}, "
            f"used {format_money(headroom.used)})"
        )
    if headroom.used + amount > headroom.leverage_cap:
        room = max(ZERO, headroom.leverage_cap - headroom.used)
        return (
            f"drawdown of {format_money(amount)} would take financed principal to "
            f"{format_money(headroom.used + amount)}, above {headroom.max_ratio.normalize():f} × "
            f"own eligible margin {format_money(headroom.own_margin)} = "
            f"{format_money(headroom.leverage_cap)} (package {context.package.code} effective "
            f"max financing ratio); at most {format_money(room)} can be drawn"
        )
    return None


def account_headroom(account: MarginAccount, context: CreditContext, on: date) -> Headroom | None:
    if context.package is None or context.line is None:
        return None
    owed = owed_by(account)
    cash = natural_balances(account, account.currency).get(C.CLIENT_CASH, ZERO)
    return financing_headroom(
        context,
        used=owed.principal,
        cash=cash,
        debt=owed.total,
        holdings=holdings_at_latest(account),
        on=on,
    )


def post_drawdown(
    *,
    account: MarginAccount,
    amount: Decimal,
    key: str,
    on: date,
    by: Any,
    context: CreditContext,
    source: str = FinancingSource.REQUEST,
    memo: str = "",
) -> FinancingMovement:
    entry = post_entry(
        key=key,
        kind=EntryKind.DRAWDOWN,
        business_date=on,
        legs=[
            debit(C.FINANCED_PRINCIPAL, amount, account),
            credit(C.CLIENT_CASH, amount, account),
        ],
        memo=memo or f"drawdown {account.account_no}",
        margin_account=account,
        created_by=by,
    )
    return FinancingMovement.objects.create(
        margin_account=account,
        credit_line=context.line,
        kind=FinancingKind.DRAW,
        source=source,
        amount=amount,
        principal=amount,
        currency=account.currency,
        business_date=on,
        entry=entry,
        created_by=_user(by),
    )


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


# --- services ---------------------------------------------------------------------------------


def _financing_once(
    step: Any, scope: str, account: MarginAccount, amount: Any, by: Any, key: str, on: date | None
) -> FinancingMovement:
    """Run one draw or repayment once per idempotency key; the same key replays the movement."""
    value = positive_amount(amount)
    day = on or timezone.localdate()
    payload = {"account": account.pk, "amount": str(value), "on": day.isoformat()}
    with transaction.atomic():
        result, _ = run_once(
            scope=scope,
            key=key,
            payload=payload,
            actor=by,
            action=lambda: {"movement": step(account.pk, value, by, day, key)},
        )
    return FinancingMovement.objects.get(pk=result["movement"])


def financing_draw(
    *,
    margin_account: MarginAccount,
    amount: Any,
    by: Any,
    idempotency_key: str,
    on: date | None = None,
) -> FinancingMovement:
    """Draw ``amount`` of financing into the client's cash (Dr principal / Cr cash)."""
    return _financing_once(
        _draw, "custody.financing_draw", margin_account, amount, by, idempotency_key, on
    )


def _draw(account_id: int, amount: Decimal, by: Any, on: date, key: str) -> int:
    account = account_for_update(account_id)
    ensure_client_may_draw(account)
    context = credit_context(account.client, on)
    headroom = account_headroom(account, context, on)
    refusal = draw_refusal(context, headroom, amount)
    if refusal:
        raise InvalidInput(refusal, field="amount")
    movement = post_drawdown(
        account=account,
        amount=amount,
        key=f"financing-draw-{key}",
        on=on,
        by=by,
        context=context,
    )
    return movement.pk


def financing_repay(
    *,
    margin_account: MarginAccount,
    amount: Any,
    by: Any,
    idempotency_key: str,
    on: date | None = None,
) -> FinancingMovement:
    """Repay from client cash: interest first, then fees, then principal; never more than owed."""
    return _financing_once(
        _repay, "custody.financing_repay", margin_account, amount, by, idempotency_key, on
    )


def _repay(account_id: int, amount: Decimal, by: Any, on: date, key: str) -> int:
    account = account_for_update(account_id)
    if account.status == MarginAccountStatus.CLOSED:
        raise IllegalTransition(f"repayment refused: margin account {account.account_no} is closed")
    owed = owed_by(account)
    if owed.total <= 0:
        raise InvalidInput(f"repayment refused: {account.account_no} owes nothing", field="amount")
    if amount > owed.total:
        raise InvalidInput(
            f"repayment of {format_money(amount)} is more than the {format_money(owed.total)} "
            f"owed (interest {format_money(owed.interest)}, fees {format_money(owed.fees)}, "
            f"principal {format_money(owed.principal)})",
            field="amount",
        )
    cash = natural_balances(account, account.currency).get(C.CLIENT_CASH, ZERO)
    if amount > cash:
        raise InvalidInput(
            f"repayment of {format_money(amount)} is above the available cash of "
            f"{format_money(cash)}",
            field="amount",
        )
    parts = allocate_repayment(owed, amount)
    entry = post_entry(
        key=f"financing-repay-{key}",
        kind=EntryKind.REPAYMENT,
        business_date=on,
        legs=[debit(C.CLIENT_CASH, amount, account), *repayment_legs(account, parts)],
        memo=f"repayment {account.account_no}",
        margin_account=account,
        created_by=by,
    )
    context = credit_context(account.client, on)
    movement = FinancingMovement.objects.create(
        margin_account=account,
        credit_line=context.line,
        kind=FinancingKind.REPAY,
        source=FinancingSource.REQUEST,
        amount=amount,
        interest=parts.interest,
        fees=parts.fees,
        principal=parts.principal,
        currency=account.currency,
        business_date=on,
        entry=entry,
        created_by=_user(by),
    )
    return movement.pk
