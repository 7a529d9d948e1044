"""What-if: the account after the order, and where each position would hit the lines.

Maintenance ratio (DOMAIN.md, SSE 实施细则 Art. 42)::

    ratio = (cash + Σ quantity × price) / (financed principal + accrued interest + fees)

*After the order* (this order alone, as if it filled completely at its mark price — the limit
price, or the latest price for a market order; the ordered instrument is marked at that price,
every other position at its latest price):

* buy of value V with costs c: financing F = max(0, V + c − cash); cash' = cash − V − c + F;
  principal' = principal + F;
* sell of value V with costs c (stamp duty included): proceeds P = V − c repay what is owed
  first (interest, fees, principal: R = min(P, owed)); cash' = cash + P − R; debt' = debt − R.

*Line prices*, per position j held after the order, with A = assets after, D = debt after, q_j
and p_j its quantity and mark: the price at which the ratio would equal line L if only that
price moved is::

    P_j(L) = (L × D − (A − q_j × p_j)) / q_j

(none when nothing is owed, or when P_j ≤ 0: that position alone cannot take the ratio down to
the line). It is computed for the package's warning line and liquidation line.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.money import ZERO, quantize_money, quantize_price, quantize_rate
from custody.services.financing import Owed, allocate_repayment
from markets.enums import Side
from risk.pretrade.context import TradeContext


@dataclass(frozen=True)
class PositionLines:
    code: str
    quantity: Decimal
    price: Decimal
    value: Decimal
    warning_price: Decimal | None
    liquidation_price: Decimal | None


@dataclass(frozen=True)
class WhatIf:
    on: date
    mark_price: Decimal
    cash_before: Decimal
    securities_before: Decimal
    debt_before: Decimal
    ratio_before: Decimal | None
    financing: Decimal
    repaid: Decimal
    cash_after: Decimal
    securities_after: Decimal
    principal_after: Decimal
    interest_after: Decimal
    fees_after: Decimal
    ratio_after: Decimal | None
    warning_line: Decimal | None
    liquidation_line: Decimal | None
    positions: tuple[PositionLines, ...]

    @property
    def debt_after(self) -> Decimal:
        return self.principal_after + self.interest_after + self.fees_after

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe (decimals as text), as stored on the order."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WhatIf:
        values = {k: _decimal(v) for k, v in data.items() if k not in {"on", "positions"}}
        positions = tuple(
            PositionLines(**{k: (v if k == "code" else _decimal(v)) for k, v in p.items()})
            for p in data["positions"]
        )
        return cls(on=date.fromisoformat(data["on"]), positions=positions, **values)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _decimal(value: Any) -> Any:
    return None if value is None else Decimal(value)


def maintenance_ratio(assets: Decimal, debt: Decimal) -> Decimal | None:
    return quantize_rate(assets / debt) if debt > 0 else None


def line_price(
    line: Decimal | None, *, assets: Decimal, debt: Decimal, quantity: Decimal, price: Decimal
) -> Decimal | None:
    """P(L) = (L × D − (A − q × p)) / q; None without debt or when it is not positive."""
    if line is None or debt <= 0 or quantity <= 0:
        return None
    result = (line * debt - (assets - quantity * price)) / quantity
    return quantize_price(result) if result > 0 else None


def _after_holdings(ctx: TradeContext, mark: Decimal) -> dict[int, tuple[str, Decimal, Decimal]]:
    after = {i: (h.instrument.code, h.quantity, h.price) for i, h in ctx.holdings.items()}
    instrument = ctx.order.instrument
    held = after.get(instrument.pk, (instrument.code, ZERO, mark))[1]
    change = ctx.order.quantity if ctx.order.side == Side.BUY else -ctx.order.quantity
    after[instrument.pk] = (instrument.code, max(held + change, ZERO), mark)
    return after


def what_if(ctx: TradeContext) -> WhatIf | None:
    mark = ctx.mark_price
    if mark is None:
        return None
    value = quantize_money(ctx.order_value(mark))
    costs = ctx.costs(value)
    owed = ctx.owed
    financing = repaid = ZERO
    parts = Owed(ZERO, ZERO, ZERO)
    if ctx.order.side == Side.BUY:
        financing = max(ZERO, value + costs - max(ctx.cash, ZERO))
        cash_after = ctx.cash - value - costs + financing
    else:
        proceeds = value - costs
        repaid = min(proceeds, owed.total) if proceeds > 0 and owed.total > 0 else ZERO
        parts = allocate_repayment(owed, repaid)
        cash_after = ctx.cash + proceeds - repaid
    holdings = _after_holdings(ctx, mark)
    securities_before = quantize_money(
        sum((h.quantity * h.price for h in ctx.holdings.values()), ZERO)
    )
    securities_after = quantize_money(sum((q * p for _, q, p in holdings.values()), ZERO))
    principal = owed.principal + financing - parts.principal
    interest, fees = owed.interest - parts.interest, owed.fees - parts.fees
    debt_after = principal + interest + fees
    assets_after = cash_after + securities_after
    terms = ctx.credit.terms
    warning = terms.warning_line if terms is not None else None
    liquidation = terms.liquidation_line if terms is not None else None
    lines = tuple(
        PositionLines(
            code=code,
            quantity=q,
            price=p,
            value=quantize_money(q * p),
            warning_price=line_price(
                warning, assets=assets_after, debt=debt_after, quantity=q, price=p
            ),
            liquidation_price=line_price(
                liquidation, assets=assets_after, debt=debt_after, quantity=q, price=p
            ),
        )
        for code, q, p in sorted(holdings.values())
        if q > 0
    )
    return WhatIf(
        on=ctx.day,
        mark_price=mark,
        cash_before=ctx.cash,
        securities_before=securities_before,
        debt_before=owed.total,
        ratio_before=maintenance_ratio(ctx.cash + securities_before, owed.total),
        financing=financing,
        repaid=repaid,
        cash_after=cash_after,
        securities_after=securities_after,
        principal_after=principal,
        interest_after=interest,
        fees_after=fees,
        ratio_after=maintenance_ratio(assets_after, debt_after),
        warning_line=warning,
        liquidation_line=liquidation,
        positions=lines,
    )
