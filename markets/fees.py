"""Trade costs: commission, stamp duty and transfer fee, at the rates in force on the trade date.

The trading engineer posts each component to the ledger; this module only computes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core import params
from core.exceptions import InvalidInput
from core.money import quantize_money, to_decimal
from markets.enums import InstrumentKind, Side
from markets.rules.book import FUND_KINDS, RuleBook

COMMISSION_SET_KEY = "brokerage-commission"


@dataclass(frozen=True)
class TradeCosts:
    commission: Decimal
    stamp_duty: Decimal
    transfer_fee: Decimal

    @property
    def total(self) -> Decimal:
        return self.commission + self.stamp_duty + self.transfer_fee


def trade_costs(
    *,
    side: str,
    value: Decimal,
    trade_date: date,
    kind: str = InstrumentKind.STOCK,
    commission_rate: Decimal | None = None,
    book: RuleBook | None = None,
) -> TradeCosts:
    """The costs of one trade (one fill, or one order's fills summed) of ``value`` CNY.

    * commission: ``commission_rate`` (default: the firm's ``brokerage-commission`` rate in force),
      never above ``commission_max_rate``, and at least ``commission_min`` per trade;
    * stamp duty: sells only, at ``stamp_duty_rate`` in force on the trade date (funds: the fund
      rate, zero today);
    * transfer fee: both sides, ``transfer_fee_rate`` (funds: the fund rate).

    Each component is rounded to cents, half up, through ``core.money``.
    """
    if side not in Side.values:
        raise InvalidInput(f"side {side!r} must be buy or sell", field="side")
    value = to_decimal(value)
    if value <= 0:
        raise InvalidInput(f"trade value {value} must be positive", field="value")
    rules = (book or RuleBook.load()).on(trade_date)
    if commission_rate is None:
        commission_rate = params.value(COMMISSION_SET_KEY, "commission_rate", on=trade_date)
    rate = min(to_decimal(commission_rate), rules["commission_max_rate"])
    if rate < 0:
        raise InvalidInput(f"commission rate {rate} must not be negative", field="commission_rate")
    commission = max(quantize_money(value * rate), quantize_money(rules["commission_min"]))
    fund = kind in FUND_KINDS
    stamp_rate = rules["fund_stamp_duty_rate"] if fund else rules["stamp_duty_rate"]
    transfer_rate = rules["fund_transfer_fee_rate"] if fund else rules["transfer_fee_rate"]
    stamp = quantize_money(value * stamp_rate) if side == Side.SELL else quantize_money(0)
    return TradeCosts(
        commission=commission,
        stamp_duty=stamp,
        transfer_fee=quantize_money(value * transfer_rate),
    )
