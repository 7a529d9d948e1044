"""Demo market data: the three real A-share histories, a universe of ~30 instruments with
synthetic bars, a suspension, a new listing, today's quotes and an illustrative funding sample."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from core.demo import DemoContext
from markets import calendar
from markets.barfile import ParsedBar
from markets.bars_import import bars_import
from markets.demo_prices import Move, SyntheticSeries, source_moves, start_offset
from markets.demo_universe import REAL_STOCKS, UNIVERSE, DemoInstrument
from markets.enums import PriceSource
from markets.feeds import intraday_path
from markets.funding_import import funding_import
from markets.models import DailyBar, Instrument, Suspension
from markets.rules import RuleBook
from markets.services import bars_store, instrument_define, prices_record, suspension_save

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Synthetic history starts on the first trading day after the real files end (2025-05-30), so
# that a later reseed extends the same series instead of shifting it.
ANCHOR = date(2025, 6, 3)
MOVES_FROM = date(2016, 1, 1)  # real moves from here on drive the synthetic bars
QUOTE_INTERVAL = 5  # minutes


def _session(today: date) -> date:
    return today if calendar.is_trading_day(today) else calendar.previous_trading_day(today)


def _seed_real(ctx: DemoContext) -> dict[str, list[ParsedBar]]:
    """Import the three real files; return each one's real bars for the synthetic moves."""
    bars: dict[str, list[ParsedBar]] = {}
    for code, (name, free_float) in REAL_STOCKS.items():
        with (FIXTURES / "ashare" / f"{code}.csv").open(newline="", encoding="utf-8") as handle:
            instrument, count = bars_import(code=code, name=name, handle=handle)
        instrument_define(
            code=code, name=name, index_constituent=True, free_float_shares=Decimal(free_float)
        )
        rows = DailyBar.objects.filter(instrument=instrument, source=PriceSource.FILE)
        bars[code] = [
            ParsedBar(b.date, b.open, b.high, b.low, b.close, b.volume, b.amount)
            for b in rows.order_by("date")
        ]
        ctx.log(f"bars: {count} real daily bars for {instrument}")
    return bars


def _series(
    instrument: Instrument, moves: list[Move], beta: Decimal, book: RuleBook
) -> SyntheticSeries:
    free_float = int(instrument.free_float_shares or 0)
    offset = start_offset(instrument.code, moves)
    return SyntheticSeries(instrument, moves, offset, beta, free_float, book)


def _extend(
    series: SyntheticSeries, start: date, end: date, start_close: Decimal
) -> list[ParsedBar]:
    days = calendar.trading_days_between(start, end) if start <= end else []
    bars = series.bars(days, start_close)
    bars_store(instrument=series.instrument, bars=bars, source=PriceSource.SYNTHETIC)
    return bars


def _define(item: DemoInstrument, session: date) -> Instrument:
    existing = Instrument.objects.filter(code=item.code).first()
    listing = existing.listing_date if existing else None
    if item.role == "new_listing" and listing is None:
        listing = calendar.add_trading_days(session, -2)  # today is its third trading day
    return instrument_define(
        code=item.code,
        name=item.name,
        kind=item.kind,
        listing_date=listing,
        is_st=item.is_st,
        index_constituent=item.index,
        free_float_shares=Decimal(item.free_float),
    )


def _suspend(instrument: Instrument, session: date) -> date:
    open_halt = Suspension.objects.filter(instrument=instrument, resumed_on__isnull=True).first()
    if open_halt is not None:
        return open_halt.suspended_on
    halt = suspension_save(
        instrument=instrument,
        suspended_on=calendar.add_trading_days(session, -15),
        reason="pending a major asset restructuring; demo",
    )
    return halt.suspended_on


def _quotes_for(series: SyntheticSeries, session: date, prev: ParsedBar, index: int) -> int:
    bar = series.bar(session, index, prev.close)
    tick = series.book.tick(series.instrument, session)
    path = intraday_path(
        series.instrument.code, bar, prev.close, interval=QUOTE_INTERVAL, tick=tick
    )
    prices_record(
        events=path,
        source=PriceSource.SYNTHETIC,
        instruments={series.instrument.code: series.instrument},
    )
    return len(path)


def seed(ctx: DemoContext) -> None:
    book = RuleBook.load()
    session = _session(ctx.today)
    history_end = calendar.previous_trading_day(session)
    real = _seed_real(ctx)
    moves = {
        code: source_moves([b for b in bars if b.day >= MOVES_FROM]) for code, bars in real.items()
    }
    last_bars: dict[str, tuple[SyntheticSeries, ParsedBar, int]] = {}

    for code, bars in real.items():
        instrument = Instrument.objects.get(code=code)
        series = _series(instrument, moves[code], Decimal(1), book)
        last = bars[-1]
        added = _extend(series, calendar.next_trading_day(last.day), history_end, last.close)
        last_bars[code] = (series, (added or [last])[-1], len(added))

    suspended = 0
    for item in UNIVERSE:
        instrument = _define(item, session)
        series = _series(instrument, moves[item.source], item.beta, book)
        start = max(ANCHOR, instrument.listing_date or ANCHOR)
        end = history_end
        if item.role == "suspended":
            end = calendar.previous_trading_day(_suspend(instrument, session))
            suspended += 1
        added = _extend(series, start, end, item.start_price)
        if added and item.role != "suspended":
            last_bars[item.code] = (series, added[-1], len(added))

    quotes = sum(_quotes_for(s, session, prev, n) for s, prev, n in last_bars.values())
    with (FIXTURES / "funding" / "sample_illustrative.csv").open(encoding="utf-8") as handle:
        points = funding_import(handle=handle, source=PriceSource.SYNTHETIC)
    ctx.log(
        f"markets: {len(REAL_STOCKS) + len(UNIVERSE)} instruments ({suspended} suspended), "
        f"synthetic bars to {history_end}, {quotes} quotes for {session}, "
        f"{points} illustrative funding values"
    )
    ctx.notes.append(
        "Markets: 000001/000002/000333 carry real daily history (to 2022-06-01 / 2025-05-30); "
        "every "
        "later bar and every other instrument's bars are synthetic (source 'synthetic'), as are "
        f"today's quotes ({session}) and the funding sample. Replay a real crash with: "
        ".venv/bin/python manage.py replay_prices --from 2016-07-01 --to 2016-07-08 --codes 000002"
    )
