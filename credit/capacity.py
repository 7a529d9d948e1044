"""How much can a client draw and buy right now — one call.

``capacity_for(client=..., at=...)`` answers with the credit line's limit, what is used, what
is available, and per allowed package: the usable leverage (effective maximum financing ratio),
the haircut-weighted value of the collateral passed in, and what may be drawn against it.

The financed principal in use lives in the custody ledger, which credit cannot import (custody is
to its right). It arrives through a :class:`UsedAmountProvider`: pass one as
``used_amount_provider``, or let custody register its ledger reader once at start-up with
:func:`register_used_amount_provider`. Without either the amount used is zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from django.utils import timezone

from accounts.models import Client
from core.money import quantize_money, to_decimal
from credit.enums import CreditLineStatus
from credit.haircuts import haircut_for, suspended_instrument_ids
from credit.models import CreditLine, LeveragePackage
from credit.rules import effective_max_financing_ratio, package_snapshot, regulatory_snapshot
from credit.selectors import live_credit_line
from markets.models import Instrument

ZERO = quantize_money(0)


class UsedAmountProvider(Protocol):
    """Financed principal outstanding for ``client`` at ``at`` (CNY, Decimal, ≥ 0)."""

    def __call__(self, *, client: Client, at: datetime) -> Decimal: ...


def zero_used_amount(*, client: Client, at: datetime) -> Decimal:
    """The default until the custody ledger registers its reader: nothing drawn."""
    return ZERO


_provider: dict[str, UsedAmountProvider] = {"used": zero_used_amount}


def register_used_amount_provider(provider: UsedAmountProvider) -> None:
    """Custody calls this from its ``AppConfig.ready`` with its ledger reader."""
    _provider["used"] = provider


class Holding(NamedTuple):
    instrument: Instrument
    quantity: Decimal | int
    price: Decimal


@dataclass(frozen=True)
class PackageCapacity:
    code: str
    name: str
    max_financing_ratio: Decimal
    collateral_value: Decimal
    financing_power: Decimal
    can_draw: Decimal


@dataclass(frozen=True)
class Capacity:
    client_id: int
    as_of: date
    credit_line_id: int | None
    line_status: str
    usable: bool
    reason: str
    limit: Decimal
    used: Decimal
    available: Decimal
    packages: tuple[PackageCapacity, ...]

    def package(self, code: str) -> PackageCapacity:
        return next(p for p in self.packages if p.code == code)


def _moment(at: datetime | date) -> tuple[datetime, date]:
    if isinstance(at, datetime):
        return at, timezone.localdate(at)
    start = datetime.combine(at, time.min, tzinfo=timezone.get_current_timezone())
    return start, at


def _usability(line: CreditLine | None, on: date) -> tuple[bool, str]:
    if line is None:
        return False, "no credit line"
    if line.status != CreditLineStatus.ACTIVE:
        return False, f"credit line is {line.get_status_display()}"
    if on < line.valid_from:
        return False, f"credit line starts on {line.valid_from}"
    if on > line.valid_to:
        return False, f"credit line expired on {line.valid_to}"
    return True, "credit line active"


def collateral_value(
    holdings: Sequence[Holding | tuple[Instrument, Any, Any]],
    package: LeveragePackage | str,
    on: date,
    *,
    cash: Decimal = ZERO,
    suspended: set[int] | None = None,
) -> Decimal:
    """Cash at face value plus Σ quantity × price × haircut under ``package`` on ``on``."""
    pkg = package_snapshot(package, on)
    reg = regulatory_snapshot(on)
    if suspended is None:
        suspended = suspended_instrument_ids((h[0].pk for h in holdings), on)
    total = to_decimal(cash)
    for instrument, quantity, price in holdings:
        rate = haircut_for(instrument, pkg, reg, on, suspended=instrument.pk in suspended)
        total += to_decimal(quantity) * to_decimal(price) * rate
    return quantize_money(total)


def _package_capacity(
    package: LeveragePackage,
    holdings: Sequence[Any],
    on: date,
    *,
    cash: Decimal,
    suspended: set[int],
    headroom: Decimal,
    used: Decimal,
) -> PackageCapacity:
    ratio = effective_max_financing_ratio(package, on)
    value = collateral_value(holdings, package, on, cash=cash, suspended=suspended)
    power = quantize_money(value * ratio)
    can_draw = max(ZERO, min(headroom, power - used))
    return PackageCapacity(package.code, package.name, ratio, value, power, can_draw)


def capacity_for(
    *,
    client: Client,
    at: datetime | date,
    holdings: Iterable[Holding | tuple[Instrument, Any, Any]] = (),
    cash: Decimal | int | str = 0,
    used_amount_provider: UsedAmountProvider | None = None,
) -> Capacity:
    """The client's credit capacity at ``at``.

    * ``limit`` — the live line's limit (0 without a line);
    * ``used`` — financed principal outstanding, from the provider;
    * ``available`` — ``max(0, limit − used)`` while the line is active and in date, else 0;
    * per allowed package: ``max_financing_ratio`` = min(package, regulation, package × regime),
      ``collateral_value`` = cash + Σ qty × price × haircut, ``financing_power`` = collateral ×
      ratio, and ``can_draw`` = ``max(0, min(available, financing_power − used))``.
    """
    moment, on = _moment(at)
    holdings = list(holdings)
    cash_amount = quantize_money(cash)
    line = live_credit_line(client=client)
    usable, reason = _usability(line, on)
    provider = used_amount_provider or _provider["used"]
    used = quantize_money(provider(client=client, at=moment))
    limit = line.limit if line is not None else ZERO
    available = max(ZERO, limit - used) if usable else ZERO
    packages: list[PackageCapacity] = []
    if line is not None:
        suspended = suspended_instrument_ids((h[0].pk for h in holdings), on)
        for package in line.packages.order_by("display_order", "code"):
            packages.append(
                _package_capacity(
                    package,
                    holdings,
                    on,
                    cash=cash_amount,
                    suspended=suspended,
                    headroom=available,
                    used=used,
                )
            )
    return Capacity(
        client_id=client.pk,
        as_of=on,
        credit_line_id=line.pk if line is not None else None,
        line_status=line.status if line is not None else "",
        usable=usable,
        reason=reason,
        limit=limit,
        used=used,
        available=available,
        packages=tuple(packages),
    )
