"""Demo market data: the real A-share bars shipped with the project."""

from __future__ import annotations

from pathlib import Path

from core.demo import DemoContext
from markets.bars_import import bars_import

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ashare"
REAL_STOCKS = {
    "000001": "平安银行 Ping An Bank",
    "000002": "万科A China Vanke",
    "000333": "美的集团 Midea Group",
}


def seed(ctx: DemoContext) -> None:
    for code, name in REAL_STOCKS.items():
        with (FIXTURES / f"{code}.csv").open(newline="", encoding="utf-8") as handle:
            instrument, count = bars_import(code=code, name=name, handle=handle)
        ctx.log(f"bars: {count} real daily bars for {instrument}")
