"""The liquidation planner: the fewest shares to sell that restore the maintenance ratio.

Pure (no database): the service layer reads positions, prices, rules and terms and passes them
in as :class:`PlanInput`; tests build the input by hand.

**Why a sale moves both sides of the ratio.** With assets ``A`` (cash + securities at market) and
debt ``L`` (principal + interest + fees), selling shares worth ``V`` with costs ``f`` turns the
shares into net proceeds ``P = V − f``, which repay debt first (卖券还款): ``repay = min(P, L)``
and any rest stays as cash. So

    A' = A − V + P − repay = A − f − repay        L' = L − repay

and while the proceeds do not clear the debt (``P ≤ L``), ``A' = A − V`` and ``L' = L − V + f``.
Selling raises the ratio only while ``A / L`` is above about 1: below that (穿仓) every sale
lowers it, and the planner sells everything it may, to recover as much of the debt as possible.

**Minimal selling.** Positions are taken in the policy order (losses first, largest first or most
liquid first), the client's liquidate-last instruments after all others. Each position is sold
whole while that is not enough; in the position where the goal (``target + buffer``) is reached,
the smallest valid order size that reaches it is found by bisection — the ratio rises with the
quantity sold — so the plan ends on the fewest lots.

**What may be sold today** per position: nothing while the instrument is halted or locked at a
one-price limit-down (no bids at any price); only the T+1-sellable shares not already in open
sell orders; at most ``participation × ADV`` (rounded down to a valid order size). Sizes follow
the exchange's lot rule: whole lots, or round lots with the whole odd lot (an odd lot is only ever
sold whole); STAR/BSE: the minimum then steps of one share, or everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from core.exceptions import InvalidInput
from core.money import ZERO, quantize_money, to_decimal
from markets.rules import LotRule

LOSERS_FIRST = "losers_first"
LARGEST_FIRST = "largest_first"
MOST_LIQUID_FIRST = "most_liquid_first"
ORDER_POLICIES = (LOSERS_FIRST, LARGEST_FIRST, MOST_LIQUID_FIRST)

# Why shares could not be sold today (stored with each plan and each day's record).
HALTED = "halted"
ONE_PRICE_LIMIT_DOWN = "one_price_limit_down"
T_PLUS_ONE = "t_plus_one"
IN_OPEN_ORDERS = "in_open_orders"
PARTICIPATION = "participation"
LOTS = "lots"
NO_PRICE = "no_price"
UNSOLD_REASONS = {
    HALTED: "halted (suspended or not trading)",
    ONE_PRICE_LIMIT_DOWN: "one-price limit-down: no bid at any price",
    T_PLUS_ONE: "bought today: sellable from the next trading day (T+1)",
    IN_OPEN_ORDERS: "already in the client's open sell orders",
    PARTICIPATION: "above the day's participation cap (share of average volume)",
    LOTS: "left by the lot rule after the participation cap",
    NO_PRICE: "no price to value it at",
}


@dataclass(frozen=True)
class FeeRates:
    """Seller's costs as the exchange and the firm charge them (one order = one trade).

    The same arithmetic as ``markets.fees.trade_costs`` (each component rounded to cents half
    up, commission at least the minimum per order), with the rates read once by the caller.
    """

    commission_rate: Decimal
    commission_min: Decimal
    stamp_duty_rate: Decimal
    transfer_fee_rate: Decimal
    fund_stamp_duty_rate: Decimal = ZERO
    fund_transfer_fee_rate: Decimal = ZERO

    def sell_costs(self, value: Decimal, *, fund: bool = False) -> Decimal:
        if value <= 0:
            return ZERO
        commission = max(quantize_money(value * self.commission_rate), self.commission_min)
        stamp = self.fund_stamp_duty_rate if fund else self.stamp_duty_rate
        transfer = self.fund_transfer_fee_rate if fund else self.transfer_fee_rate
        return commission + quantize_money(value * stamp) + quantize_money(value * transfer)


@dataclass(frozen=True)
class PositionInput:
    """One holding as the planner sees it on the day.

    ``sellable`` is the T+1-sellable quantity; ``in_client_orders`` of it is held by the client's
    own open sell orders; ``committed`` by this liquidation's open orders (expected to fill at
    ``price``; ``committed_order_ids`` links them).
    """

    instrument_id: int
    code: str
    quantity: int
    sellable: int
    lots: LotRule
    price: Decimal | None
    cost_basis: Decimal = ZERO
    adv: Decimal | None = None  # average daily volume (shares); None = no cap
    fund: bool = False
    halt: str | None = None
    one_price_limit_down: bool = False
    limit_down: Decimal | None = None
    in_client_orders: int = 0
    committed: int = 0
    committed_order_ids: tuple[int, ...] = ()

    @property
    def value(self) -> Decimal:
        return self.quantity * self.price if self.price is not None else ZERO

    @property
    def unrealised(self) -> Decimal:
        return self.value - self.cost_basis


@dataclass(frozen=True)
class PlanInput:
    cash: Decimal
    debt: Decimal
    positions: tuple[PositionInput, ...]
    target: Decimal  # the package's top-up target (maintenance ratio as a fraction)
    buffer: Decimal  # added to the target, so the next tick does not undo the plan
    order_policy: str
    fees: FeeRates
    participation: Decimal | None = None  # share of ADV sellable in a day; None = no cap
    liquidate_last: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlanLine:
    instrument_id: int
    code: str
    quantity: int
    price: Decimal  # the price the proceeds are expected at
    limit_price: Decimal  # the order's limit: the day's limit-down (a marketable sell)
    value: Decimal
    costs: Decimal
    proceeds: Decimal
    liquidate_last: bool = False
    committed: bool = False  # already ordered (an open order of this liquidation)
    order_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Unsold:
    instrument_id: int
    code: str
    quantity: int
    value: Decimal
    reason: str

    @property
    def reason_text(self) -> str:
        return UNSOLD_REASONS.get(self.reason, self.reason)


@dataclass(frozen=True)
class Plan:
    cash: Decimal
    assets_before: Decimal
    debt_before: Decimal
    assets_after: Decimal
    debt_after: Decimal
    goal: Decimal
    lines: tuple[PlanLine, ...] = ()
    unsold: tuple[Unsold, ...] = ()
    order_policy: str = LOSERS_FIRST

    @property
    def ratio_before(self) -> Decimal | None:
        return ratio(self.assets_before, self.debt_before)

    @property
    def ratio_after(self) -> Decimal | None:
        return ratio(self.assets_after, self.debt_after)

    @property
    def restores(self) -> bool:
        return reaches(self.assets_after, self.debt_after, self.goal)

    @property
    def uncovered(self) -> Decimal:
        """Debt the assets left after the plan cannot cover (穿仓), zero when covered."""
        return max(self.debt_after - self.assets_after, ZERO)

    @property
    def new_lines(self) -> tuple[PlanLine, ...]:
        return tuple(line for line in self.lines if not line.committed)

    @property
    def proceeds(self) -> Decimal:
        return sum((line.proceeds for line in self.lines), ZERO)


def ratio(assets: Decimal, debt: Decimal) -> Decimal | None:
    return None if debt <= 0 else assets / debt


def reaches(assets: Decimal, debt: Decimal, goal: Decimal) -> bool:
    return debt <= 0 or assets >= goal * debt


@dataclass
class _Book:
    """Running assets, debt and costs while lines are added."""

    assets: Decimal
    debt: Decimal

    def after(self, value: Decimal, costs: Decimal) -> tuple[Decimal, Decimal]:
        repay = min(value - costs, self.debt) if value - costs > 0 else ZERO
        return self.assets - costs - repay, self.debt - repay

    def apply(self, value: Decimal, costs: Decimal) -> None:
        self.assets, self.debt = self.after(value, costs)


# -- valid sell sizes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SellSizes:
    """The valid sell quantities up to ``available`` in ascending order, indexed without a list."""

    available: int
    lots: LotRule
    held: int  # what the lot rule counts as "everything" (the sellable quantity)

    def _whole_lots(self) -> bool:
        return self.lots.buy_step == self.lots.buy_min

    def count(self) -> int:
        lot, n = self.lots.buy_min, self.available
        if n <= 0:
            return 0
        if self._whole_lots():
            odd = self.held % lot
            if n == self.held and odd:
                return 2 * (n // lot) + 1  # odd, lot, lot+odd, 2 lots, … , everything
            return n // lot
        if n == self.held and n < lot:
            return 1
        steps = (n - lot) // self.lots.buy_step + 1 if n >= lot else 0
        extra = 1 if n == self.held and n >= lot and (n - lot) % self.lots.buy_step else 0
        return steps + extra

    def nth(self, i: int) -> int:
        lot = self.lots.buy_min
        if self._whole_lots():
            odd = self.held % lot
            if self.available == self.held and odd:
                return (i // 2) * lot + odd if i % 2 == 0 else ((i + 1) // 2) * lot
            return (i + 1) * lot
        if self.available == self.held and self.available < lot:
            return self.available
        size = lot + i * self.lots.buy_step
        return min(size, self.available)


def _floor_int(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _capacity(p: PositionInput, participation: Decimal | None) -> tuple[int, list[tuple[str, int]]]:
    """Shares that may be sold today, and the rest with the reason each part is held back."""
    free = p.quantity - p.committed
    if p.price is None or p.price <= 0:
        return 0, [(NO_PRICE, free)]
    if p.halt:
        return 0, [(HALTED, free)]
    if p.one_price_limit_down:
        return 0, [(ONE_PRICE_LIMIT_DOWN, free)]
    held_back: list[tuple[str, int]] = []
    pending = p.quantity - p.sellable
    if pending > 0:
        held_back.append((T_PLUS_ONE, pending))
    available = _lot_base(p)
    in_orders = p.sellable - p.committed - available
    if in_orders > 0:
        held_back.append((IN_OPEN_ORDERS, in_orders))
    if participation is not None and p.adv is not None:
        cap = max(_floor_int(participation * p.adv) - p.committed, 0)
        if cap < available:
            sizes = SellSizes(cap, p.lots, held=available)
            allowed = sizes.nth(sizes.count() - 1) if sizes.count() else 0
            held_back.append((PARTICIPATION, available - cap))
            if cap > allowed:
                held_back.append((LOTS, cap - allowed))
            available = allowed
    return available, held_back


def _lot_base(p: PositionInput) -> int:
    """What the exchange's lot rule counts as "everything": sellable less open sell orders."""
    free = p.sellable - p.committed
    return free - min(p.in_client_orders, max(free, 0))


# -- ordering -----------------------------------------------------------------------------------

SortKey = Callable[[PositionInput], tuple[object, ...]]

_POLICY_KEYS: dict[str, SortKey] = {
    LOSERS_FIRST: lambda p: (p.unrealised, p.code),
    LARGEST_FIRST: lambda p: (-p.value, p.code),
    MOST_LIQUID_FIRST: lambda p: (
        p.adv is None,
        -(p.adv or ZERO) * (p.price or ZERO),
        p.code,
    ),
}


def ordered(
    positions: Sequence[PositionInput], policy: str, last: frozenset[str]
) -> list[PositionInput]:
    if policy not in _POLICY_KEYS:
        raise InvalidInput(
            f"liquidation order {policy!r} must be one of {', '.join(ORDER_POLICIES)}",
            field="order_policy",
        )
    key = _POLICY_KEYS[policy]
    return sorted(positions, key=lambda p: (p.code in last, *key(p)))


# -- the plan -----------------------------------------------------------------------------------


def _validate(data: PlanInput) -> None:
    for name in ("cash", "debt", "target", "buffer"):
        to_decimal(getattr(data, name))
    if data.debt < 0:
        raise InvalidInput("debt must not be negative", field="debt")
    if data.target <= 0 or data.buffer < 0:
        raise InvalidInput(
            "the target must be positive and the buffer not negative", field="target"
        )
    if data.participation is not None and not (0 < data.participation <= 1):
        raise InvalidInput("participation must be in (0, 1]", field="participation")
    for p in data.positions:
        if not (0 <= p.committed <= p.sellable <= p.quantity):
            raise InvalidInput(
                f"{p.code}: need 0 ≤ committed ({p.committed}) ≤ sellable ({p.sellable}) ≤ "
                f"quantity ({p.quantity})",
                field="positions",
            )


def _line(
    p: PositionInput,
    quantity: int,
    fees: FeeRates,
    last: bool,
    *,
    committed: bool = False,
    order_ids: tuple[int, ...] = (),
) -> PlanLine:
    price = p.price if p.price is not None else ZERO
    value = quantize_money(quantity * price)
    costs = fees.sell_costs(value, fund=p.fund)
    return PlanLine(
        instrument_id=p.instrument_id,
        code=p.code,
        quantity=quantity,
        price=price,
        limit_price=p.limit_down if p.limit_down is not None else price,
        value=value,
        costs=costs,
        proceeds=value - costs,
        liquidate_last=last,
        committed=committed,
        order_ids=order_ids,
    )


def _smallest_reaching(
    p: PositionInput, sizes: SellSizes, book: _Book, goal: Decimal, data: PlanInput
) -> int:
    """The smallest valid size that reaches the goal (the largest one if none does)."""
    lo, hi = 0, sizes.count() - 1
    price = p.price if p.price is not None else ZERO

    def enough(i: int) -> bool:
        value = quantize_money(sizes.nth(i) * price)
        return reaches(*book.after(value, data.fees.sell_costs(value, fund=p.fund)), goal)

    if not enough(hi):
        return sizes.nth(hi)
    while lo < hi:
        mid = (lo + hi) // 2
        if enough(mid):
            hi = mid
        else:
            lo = mid + 1
    return sizes.nth(lo)


def plan_liquidation(data: PlanInput) -> Plan:
    """The ordered sells that restore ``target + buffer`` with the fewest lots (see module doc)."""
    _validate(data)
    goal = data.target + data.buffer
    securities = sum((p.value for p in data.positions), ZERO)
    book = _Book(assets=data.cash + securities, debt=data.debt)
    before = (book.assets, book.debt)
    lines: list[PlanLine] = []
    unsold: list[Unsold] = []
    for p in data.positions:  # this liquidation's open orders are expected to fill first
        if p.committed and p.price is not None:
            line = _line(
                p,
                p.committed,
                data.fees,
                p.code in data.liquidate_last,
                committed=True,
                order_ids=p.committed_order_ids,
            )
            book.apply(line.value, line.costs)
            lines.append(line)
    for p in ordered(data.positions, data.order_policy, data.liquidate_last):
        available, held_back = _capacity(p, data.participation)
        for reason, quantity in held_back:
            value = quantize_money(quantity * p.price) if p.price is not None else ZERO
            unsold.append(Unsold(p.instrument_id, p.code, quantity, value, reason))
        if available <= 0 or reaches(book.assets, book.debt, goal):
            continue
        sizes = SellSizes(available, p.lots, held=_lot_base(p))
        quantity = _smallest_reaching(p, sizes, book, goal, data)
        line = _line(p, quantity, data.fees, p.code in data.liquidate_last)
        book.apply(line.value, line.costs)
        lines.append(line)
    return Plan(
        cash=data.cash,
        assets_before=before[0],
        debt_before=before[1],
        assets_after=book.assets,
        debt_after=book.debt,
        goal=goal,
        lines=tuple(lines),
        unsold=tuple(unsold),
        order_policy=data.order_policy,
    )


__all__ = [
    "FeeRates",
    "PositionInput",
    "PlanInput",
    "PlanLine",
    "Unsold",
    "Plan",
    "SellSizes",
    "plan_liquidation",
    "ordered",
    "ratio",
    "reaches",
]
