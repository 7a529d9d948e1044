"""Read and check a daily-bar CSV file (``datetime,open,high,low,close,volume[,amount]``).

Every row is checked; the errors of all bad rows are collected with their line numbers, and a
file with any bad row yields nothing. No database access: the importer and the replay feed share it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO

from core.exceptions import InvalidInput

REQUIRED_COLUMNS = ["datetime", "open", "high", "low", "close", "volume"]
MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class ParsedBar:
    day: date
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    amount: Decimal | None


class BarFileError(InvalidInput):
    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more" if more else "")
        super().__init__(f"nothing imported — {text}", field="file")
        self.errors = errors


def _number(raw: str, column: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValueError(f"{column} {raw!r} is not a number") from exc
    if not value.is_finite():
        raise ValueError(f"{column} {raw!r} is not a finite number")
    return value


def _parse_row(row: dict[str, str]) -> ParsedBar:
    try:
        day = date.fromisoformat((row.get("datetime") or "").strip()[:10])
    except ValueError as exc:
        raise ValueError(f"date {row.get('datetime')!r} is not YYYY-MM-DD") from exc
    open_, high, low, close = (_number(row[c] or "", c) for c in ("open", "high", "low", "close"))
    volume = _number(row["volume"] or "", "volume")
    amount = _number(row["amount"], "amount") if (row.get("amount") or "").strip() else None
    if min(open_, high, low, close) <= 0:
        raise ValueError("prices must be positive")
    if high < max(open_, close, low) or low > min(open_, close):
        raise ValueError(f"high {high} / low {low} do not contain open {open_} and close {close}")
    if volume < 0 or volume != volume.to_integral_value():
        raise ValueError(f"volume {row['volume']!r} must be a whole number of shares ≥ 0")
    return ParsedBar(day, open_, high, low, close, volume.to_integral_value(), amount)


def parse_bars(handle: IO[str]) -> list[ParsedBar]:
    reader = csv.DictReader(handle)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BarFileError([f"line 1: missing columns {', '.join(missing)}"])
    bars: list[ParsedBar] = []
    errors: list[str] = []
    seen: dict[date, int] = {}
    for row in reader:
        line = reader.line_num
        try:
            bar = _parse_row(row)
        except (ValueError, KeyError, TypeError) as exc:
            errors.append(f"line {line}: {exc}")
            continue
        if bar.day in seen:
            errors.append(f"line {line}: {bar.day} already given on line {seen[bar.day]}")
            continue
        seen[bar.day] = line
        bars.append(bar)
    if errors:
        raise BarFileError(errors)
    if not bars:
        raise BarFileError(["the file has no bars"])
    return bars
