from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.exceptions import DomainError
from markets.feeds import CsvReplayFeed, price_listeners
from markets.services import feed_run

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "ashare"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def _codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return sorted({c.strip() for v in values for c in v.split(",") if c.strip()})


class Command(BaseCommand):
    help = (
        "Replay real daily bars as a price feed: each day becomes quotes along a deterministic "
        "intraday path (open, low/high, close) and then its bar; quotes and bars are stored and "
        "the registered price listeners (e.g. the risk engine) hear which instruments ticked."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, type=_day)
        parser.add_argument("--to", dest="end", required=True, type=_day)
        parser.add_argument("--codes", nargs="*", help="codes to replay (default: every file)")
        parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of <code>.csv")
        parser.add_argument("--interval", type=int, default=30, help="minutes between quotes")
        parser.add_argument("--no-bars", action="store_true", help="store quotes only")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = _codes(options["codes"])
        try:
            feed = CsvReplayFeed.from_directory(
                options["dir"],
                codes,
                interval=options["interval"],
                with_bars=not options["no_bars"],
            )
            summary = feed_run(
                feed=feed, start=options["start"], end=options["end"], codes=sorted(feed.files)
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        days = sorted(summary.days)
        span = f"{days[0]} to {days[-1]}" if days else "no trading days"
        self.stdout.write(
            f"replayed {', '.join(sorted(summary.codes)) or 'nothing'}: {span}, "
            f"{len(days)} day(s), {summary.quotes} quotes, {summary.bars} bars; "
            f"{len(price_listeners())} listener(s) told of {summary.ticks} ticks"
        )
