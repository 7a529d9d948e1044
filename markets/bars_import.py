"""Import daily bars from CSV: all rows are checked first; one bad row imports nothing.

The file format is ``datetime,open,high,low,close,volume[,amount]`` with a header row, as in the
real A-share files the project ships under ``markets/fixtures/ashare/``.
"""

from __future__ import annotations

import io
from typing import IO

from django.db import transaction

from markets.barfile import BarFileError, ParsedBar, parse_bars
from markets.enums import PriceSource
from markets.models import Instrument
from markets.services import bars_store, instrument_ensure

__all__ = ["BarFileError", "ParsedBar", "bars_import", "bars_import_text", "parse_bars"]


def bars_import(*, code: str, name: str, handle: IO[str]) -> tuple[Instrument, int]:
    """Validate every row, then create the instrument if new and upsert every bar.

    Nothing is written unless the whole file is valid; a rerun of the same file changes nothing.
    """
    bars = parse_bars(handle)
    with transaction.atomic():
        instrument = instrument_ensure(code=code, name=name)
        return instrument, bars_store(instrument=instrument, bars=bars, source=PriceSource.FILE)


def bars_import_text(*, code: str, name: str, text: str) -> tuple[Instrument, int]:
    return bars_import(code=code, name=name, handle=io.StringIO(text))
