"""Exchange and board from an A-share code: the first digits say where a stock trades."""

from __future__ import annotations

import re

from core.exceptions import InvalidInput
from markets.enums import Board, Exchange

_CODE = re.compile(r"^\d{6}$")

# (prefix, exchange, board), longest prefixes first where they overlap.
_PREFIXES: list[tuple[str, Exchange, Board]] = [
    ("688", Exchange.XSHG, Board.STAR),
    ("689", Exchange.XSHG, Board.STAR),
    ("600", Exchange.XSHG, Board.MAIN),
    ("601", Exchange.XSHG, Board.MAIN),
    ("603", Exchange.XSHG, Board.MAIN),
    ("605", Exchange.XSHG, Board.MAIN),
    ("510", Exchange.XSHG, Board.MAIN),  # SSE ETFs
    ("511", Exchange.XSHG, Board.MAIN),
    ("512", Exchange.XSHG, Board.MAIN),
    ("513", Exchange.XSHG, Board.MAIN),
    ("515", Exchange.XSHG, Board.MAIN),
    ("588", Exchange.XSHG, Board.MAIN),
    ("300", Exchange.XSHE, Board.CHINEXT),
    ("301", Exchange.XSHE, Board.CHINEXT),
    ("000", Exchange.XSHE, Board.MAIN),
    ("001", Exchange.XSHE, Board.MAIN),
    ("002", Exchange.XSHE, Board.MAIN),
    ("003", Exchange.XSHE, Board.MAIN),
    ("159", Exchange.XSHE, Board.MAIN),  # SZSE ETFs
    ("920", Exchange.BJSE, Board.BSE),
    ("43", Exchange.BJSE, Board.BSE),
    ("83", Exchange.BJSE, Board.BSE),
    ("87", Exchange.BJSE, Board.BSE),
]


def classify_code(code: str) -> tuple[Exchange, Board]:
    """Return ``(exchange, board)`` for a six-digit A-share code, or refuse it."""
    if not _CODE.match(code or ""):
        raise InvalidInput(f"instrument code {code!r} must be six digits", field="code")
    for prefix, exchange, board in _PREFIXES:
        if code.startswith(prefix):
            return exchange, board
    raise InvalidInput(f"instrument code {code!r} belongs to no known A-share board", field="code")
