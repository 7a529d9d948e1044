"""The A-share rules in force on any date, read once from the approved parameter versions."""

from __future__ import annotations

import bisect
import time
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from core import params
from core.exceptions import InvalidInput, ParameterMissing
from core.params import ParameterSnapshot
from markets.enums import Board, InstrumentKind
from markets.rules.pure import LotRule, PriceBand, percent

SET_KEY = "ashare-trading"
FUND_KINDS = {InstrumentKind.ETF, InstrumentKind.FUND, InstrumentKind.MONEY_FUND}


class InstrumentLike(Protocol):
    """What the rules need to know about an instrument (a model row or a plain record)."""

    code: str
    board: str
    kind: str
    is_st: bool
    listing_date: date | None


class RuleBook:
    """Every approved version of ``ashare-trading``; answers for any date without a query.

    Load it once per request, batch or replay (one query) and pass it down.
    """

    def __init__(self, versions: list[ParameterSnapshot]) -> None:
        if not versions:
            raise ParameterMissing(f"no approved {SET_KEY!r} parameters")
        self._versions = versions
        self._starts = [v.effective_from for v in versions]

    @classmethod
    def load(cls) -> RuleBook:
        return cls(params.history(SET_KEY))

    def on(self, day: date) -> ParameterSnapshot:
        i = bisect.bisect_right(self._starts, day) - 1
        if i < 0:
            raise ParameterMissing(f"no approved {SET_KEY!r} parameters in force on {day}")
        return self._versions[i]

    def value(self, name: str, day: date) -> Any:
        return self.on(day)[name]

    def tick(self, instrument: InstrumentLike, day: date) -> Decimal:
        key = "tick_size_fund" if instrument.kind in FUND_KINDS else "tick_size"
        tick: Decimal = self.value(key, day)
        return tick

    def lots(self, instrument: InstrumentLike, day: date) -> LotRule:
        rules = self.on(day)
        if instrument.kind not in FUND_KINDS and instrument.board == Board.STAR:
            return LotRule(rules["buy_min_star"], rules["buy_step_star"])
        if instrument.kind not in FUND_KINDS and instrument.board == Board.BSE:
            return LotRule(rules["buy_min_bse"], rules["buy_step_bse"])
        return LotRule(rules["lot_size"], rules["lot_size"])

    def free_days(self, instrument: InstrumentLike, listed: date) -> int:
        """Trading days without a limit after listing, under the rules of the listing date."""
        rules = self.on(max(listed, self._starts[0]))
        if instrument.kind in FUND_KINDS:
            return int(rules["ipo_free_days_fund"])
        return int(rules[f"ipo_free_days_{instrument.board}"])

    def band_rate(self, instrument: InstrumentLike, day: date) -> PriceBand:
        """The band by kind, board and ST status on ``day`` (listing days aside)."""
        rules = self.on(day)
        if instrument.kind == InstrumentKind.BOND:
            raise InvalidInput(
                f"{instrument.code}: exchange-traded bonds have no price-limit rule here",
                field="instrument",
            )
        if instrument.kind in FUND_KINDS:
            rate = rules["limit_fund"]
            return PriceBand(rate, f"exchange fund ±{percent(rate)}")
        if instrument.board == Board.MAIN and instrument.is_st:
            rate = rules["limit_st_main"]
            return PriceBand(rate, f"main-board ST ±{percent(rate)}")
        rate = rules[f"limit_{instrument.board}"]
        return PriceBand(rate, f"{Board(instrument.board).label} ±{percent(rate)}")


def validate_rule_values(set_key: str, values: dict[str, Any], effective_from: date) -> None:
    """Registered for ``ashare-trading``: values a maker may not propose."""
    for key in ("tick_size", "tick_size_fund"):
        if values[key] <= 0:
            raise InvalidInput(f"{key}: a price tick must be above zero", field=key)
    for key in sorted(k for k in values if k.startswith("limit_")):
        if values[key] <= 0:
            raise InvalidInput(f"{key}: a daily limit must be above zero", field=key)
    for board in ("star", "bse"):
        low, step = values[f"buy_min_{board}"], values[f"buy_step_{board}"]
        if step > low:
            raise InvalidInput(
                f"buy_step_{board}: the increment {step} exceeds the minimum order {low}",
                field=f"buy_step_{board}",
            )


_CACHE: dict[str, Any] = {"at": 0.0, "book": None}
CACHE_SECONDS = 60


def cached_rule_book() -> RuleBook:
    """A book at most a minute old, for console pages that show many instruments.

    Rule changes take effect from a future (or today's) date after approval, so a minute's delay
    in a display is harmless; services that decide anything load their own book.
    """
    now = time.monotonic()
    if _CACHE["book"] is None or now - float(_CACHE["at"]) > CACHE_SECONDS:
        _CACHE["book"] = RuleBook.load()
        _CACHE["at"] = now
    book: RuleBook = _CACHE["book"]
    return book
