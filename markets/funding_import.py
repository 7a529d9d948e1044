"""Import market funding series (GC001, R007, SHIBOR, margin balance) from CSV.

Format: a header ``date,series,value`` and one row per series and day, e.g.
``2016-07-04,shibor_on,2.0100``. Rates are in percent per year, the margin balance in CNY.
Every row is checked first (known series, real date, a number within the series' plausible
bounds, no day given twice); one bad row imports nothing, and every bad row is named by its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO

from django.db import transaction

from core.exceptions import InvalidInput
from markets.enums import PriceSource
from markets.models import FundingSeries, SeriesPoint

REQUIRED_COLUMNS = ["date", "series", "value"]
MAX_ERRORS_SHOWN = 20


class FundingFileError(InvalidInput):
    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more" if more else "")
        super().__init__(f"nothing imported — {text}", field="file")
        self.errors = errors


@dataclass(frozen=True)
class ParsedPoint:
    series: FundingSeries
    day: date
    value: Decimal


def _parse_row(row: dict[str, str], known: dict[str, FundingSeries]) -> ParsedPoint:
    raw_day = (row.get("date") or "").strip()
    try:
        day = date.fromisoformat(raw_day)
    except ValueError as exc:
        raise ValueError(f"date {raw_day!r} is not YYYY-MM-DD") from exc
    key = (row.get("series") or "").strip()
    series = known.get(key)
    if series is None:
        raise ValueError(f"unknown series {key!r} (known: {', '.join(sorted(known))})")
    raw = (row.get("value") or "").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(f"value {raw!r} is not a number") from exc
    if not value.is_finite():
        raise ValueError(f"value {raw!r} is not a finite number")
    if not series.min_value <= value <= series.max_value:
        raise ValueError(
            f"{key} value {value} is outside the plausible range "
            f"{series.min_value.normalize():f} to {series.max_value.normalize():f}"
        )
    return ParsedPoint(series, day, value)


def parse_points(handle: IO[str]) -> list[ParsedPoint]:
    reader = csv.DictReader(handle)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise FundingFileError([f"line 1: missing columns {', '.join(missing)}"])
    known = {s.key: s for s in FundingSeries.objects.all()}
    points: list[ParsedPoint] = []
    errors: list[str] = []
    seen: dict[tuple[str, date], int] = {}
    for row in reader:
        line = reader.line_num
        try:
            point = _parse_row(row, known)
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        where = (point.series.key, point.day)
        if where in seen:
            errors.append(
                f"line {line}: {point.series.key} {point.day} already given on line {seen[where]}"
            )
            continue
        seen[where] = line
        points.append(point)
    if errors:
        raise FundingFileError(errors)
    if not points:
        raise FundingFileError(["the file has no values"])
    return points


def funding_import(*, handle: IO[str], source: str = PriceSource.FILE) -> int:
    """Validate every row, then upsert every point; a rerun of the same file changes nothing."""
    points = parse_points(handle)
    rows = [SeriesPoint(series=p.series, date=p.day, value=p.value, source=source) for p in points]
    with transaction.atomic():
        SeriesPoint.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["series", "date"],
            update_fields=["value", "source"],
        )
    return len(rows)


def funding_import_text(*, text: str, source: str = PriceSource.FILE) -> int:
    return funding_import(handle=io.StringIO(text), source=source)
