"""Stress-test benchmark on PostgreSQL: three scenarios over 100,000 accounts / 1,000,000 positions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fulcrum_stress \
        .venv/bin/python benchmarks/stress.py

The book is the margin benchmark's (``benchmarks/margin_sweep.py``: ``fulcrum_bench_margin`` on
the same server, generated once with COPY and reused; ``BENCH_REGENERATE=1`` rebuilds it), with
the real 000333 bars added for the replay proxy. Scenarios:

1. ``limit-down-3``: every stock gaps −10% three days running at one price (no fills), then
   trades at 20% of its usual volume for two days;
2. ``board-main-20``: the main board falls 20% in a day, volume dried up by 70%, five days;
3. ``crash-2015-07``: the real 6–10 July 2015 replayed, every stock following 000333's moves,
   limit-down days and relative volume.

Figures: (a) vectorised — load the book once with the margin engine (binary COPY), then each
scenario's path, the kernel and the persisted run; (b) the naive way — per account: its positions
from the ORM, then day by day in Python Decimal (ratio, forced sale capped by the day's volume,
shortfall) — on a sample, extrapolated to the book and the three scenarios.
The last line printed is one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import margin_sweep as bench  # noqa: E402  (path above)

NAIVE_SAMPLE = int(os.environ.get("BENCH_NAIVE_SAMPLE", "200"))
SCENARIOS = [
    (
        "limit-down-3",
        "Three one-price limit-down days",
        "hypothetical",
        {"horizon_days": 5, "gap": -0.10, "gap_days": 3, "one_price": True, "volume_factor": 0.2},
    ),
    (
        "board-main-20",
        "Main board −20%, volume −70%",
        "hypothetical",
        {"horizon_days": 5, "gap": -0.20, "gap_days": 1, "board": "main", "volume_factor": 0.3},
    ),
    (
        "crash-2015-07",
        "Replay 6–10 July 2015 (000333 as proxy)",
        "historical",
        {"start": "2015-07-06", "end": "2015-07-10", "proxy_code": "000333"},
    ),
]


def ensure_proxy_bars() -> None:
    from markets.bars_import import bars_import_text
    from markets.models import Instrument

    if Instrument.objects.filter(code="000333").exists():
        return
    text = (ROOT / "markets" / "fixtures" / "ashare" / "000333.csv").read_text()
    bars_import_text(code="000333", name="Midea Group", text=text)


def scenarios() -> list:
    from accounts.models import User
    from risk.stress.services import stress_scenario_save

    actor = User.objects.order_by("pk").first()
    return [
        stress_scenario_save(code=code, name=name, kind=kind, params=params, actor=actor)
        for code, name, kind, params in SCENARIOS
    ]


def naive_one(account_id: int, path, book, cost: Decimal, participation: Decimal) -> Decimal:
    """One account, the obvious way: ORM rows, Decimal arithmetic, day by day."""
    from custody.models import Position

    index = int(book.account_index([account_id])[0])
    column = {int(pk): i for i, pk in enumerate(book.instrument_ids.tolist())}
    rows = list(
        Position.objects.filter(margin_account_id=account_id, quantity__gt=0).values_list(
            "instrument_id", "quantity"
        )
    )
    cash = Decimal(repr(float(book.cash[index])))
    debt = Decimal(repr(float(book.debt[index])))
    lines = [Decimal(repr(float(x[index]))) for x in (book.liquidation_line, book.topup_target)]
    held = {pk: qty for pk, qty in rows}
    liquidating = False
    price = {}
    for d in range(len(path.dates)):
        price = {
            pk: Decimal(repr(float(book.prices[column[pk]] * path.price_factor[d, column[pk]])))
            for pk in held
        }
        assets = cash + sum(held[pk] * price[pk] for pk in held)
        ratio = assets / debt if debt > 0 else None
        liquidating = liquidating or (ratio is not None and ratio < lines[0])
        if not liquidating or ratio is None or ratio >= lines[1]:
            continue
        need = min((lines[1] * debt - assets) / (lines[1] * (1 - cost) - 1), debt / (1 - cost))
        for pk in sorted(held, key=lambda p: -held[p] * price[p]):
            if need <= 0:
                break
            cap = Decimal(repr(float(path.capacity[d, column[pk]]))) * participation
            qty = min(held[pk], (need / price[pk]).to_integral_value(), cap)
            held[pk] -= qty
            proceeds = qty * price[pk] * (1 - cost)
            repay = min(debt, proceeds)
            debt -= repay
            cash += proceeds - repay
            need -= qty * price[pk]
    assets = cash + sum(held[pk] * price.get(pk, Decimal(0)) for pk in held)
    return max(debt - assets, Decimal(0))


def naive(book, paths) -> float:
    ids = book.account_ids[:: max(1, book.size // NAIVE_SAMPLE)][:NAIVE_SAMPLE].tolist()
    started = time.perf_counter()
    for path in paths:
        for pk in ids:
            naive_one(int(pk), path, book, Decimal("0.002"), Decimal("1"))
    per_account_scenario = (time.perf_counter() - started) / (len(ids) * len(paths))
    return per_account_scenario * book.size * len(paths)


def main() -> None:
    fresh = bench.prepare_database()
    bench.setup_django(migrate=True)
    if fresh:
        bench.generate()
    ensure_proxy_bars()
    from risk.margin.book import load_book
    from risk.stress.data import universe_for
    from risk.stress.services import scenario_path, stress_test_run

    chosen = scenarios()
    started = time.perf_counter()
    book = load_book(bench.DAY)
    load_s = time.perf_counter() - started
    bench.say(
        f"book: {book.size} accounts, {book.pos_account.size} positions, "
        f"{book.instrument_ids.size} instruments — loaded in {load_s:.2f} s"
    )
    paths = []
    for scenario in chosen:
        t = time.perf_counter()
        run = stress_test_run(scenario=scenario, on=bench.DAY, actor=None, book=book)
        bench.say(
            f"  {scenario.code}: {time.perf_counter() - t:.2f} s — {run.days} days, "
            f"{run.warning_accounts} below warning, {run.liquidation_accounts} liquidated, "
            f"sold {run.sold_value:,.0f}, unsold {run.unsold_value:,.0f}, "
            f"shortfall {run.total_shortfall:,.0f} on {run.shortfall_accounts} accounts"
        )
        paths.append(scenario_path(scenario, book, universe_for(book)))
    stress_s = time.perf_counter() - started
    bench.say(f"(a) vectorised, 3 scenarios including the load: {stress_s:.2f} s")
    naive_s = naive(book, paths)
    bench.say(
        f"(b) naive per-account Decimal: {NAIVE_SAMPLE} sampled × 3, extrapolated {naive_s:.0f} s"
    )
    summary = {
        "accounts": int(book.size),
        "scenarios": len(chosen),
        "stress_s": round(stress_s, 2),
        "naive_s": round(naive_s, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
