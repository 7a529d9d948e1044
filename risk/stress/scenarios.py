"""Scenario parameters (validated per kind) and the price/volume paths they produce.

Historical replay (``kind = historical``)::

    {"start": "2016-07-04", "end": "2016-07-08", "proxy_code": "000333", "volume_factor": 1.0}

Instruments with real bars in the window move as they did: price relative to the last close
before ``start``; a day without a bar is a suspension (price held, nothing sells); a one-price
limit-down day (open = high = low = close, at least the limit move below the previous close)
sells nothing; other days sell up to the day's volume × participation × ``volume_factor``.
Instruments without bars follow ``proxy_code``'s moves and relative volume, or (no proxy) keep
their price and forecast volume.

Hypothetical shock (``kind = hypothetical``)::

    {"horizon_days": 5, "gap": -0.10, "gap_days": 3, "one_price": true,
     "board": "main", "codes": ["000002"], "volume_factor": 0.3, "after_return": 0.0}

The instruments in scope (``codes``, else ``board``, else all) fall by ``gap`` a day for
``gap_days`` days — with no fills at all when ``one_price`` — then move ``after_return`` a day;
their volume is scaled by ``volume_factor`` (volume dried up by 70% → 0.3). Instruments outside
the scope keep their price and forecast volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.exceptions import InvalidInput
from risk.liquidity.features import LIMIT_MOVE
from risk.stress.engine import F64, ShockPath
from risk.stress.enums import ScenarioKind

MAX_HISTORICAL_DAYS = 120
MAX_HORIZON_DAYS = 60
BOARDS = ("main", "chinext", "star", "bse")


def _fail(key: str, message: str) -> InvalidInput:
    return InvalidInput(f"params.{key}: {message}", field=f"params.{key}")


def _date(raw: dict[str, Any], key: str) -> date:
    value = raw.get(key)
    if not isinstance(value, str):
        raise _fail(key, "required, a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(key, f"{value!r} is not a date written YYYY-MM-DD") from None


def _number(raw: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(key, f"must be a number between {low} and {high}")
    if not low <= float(value) <= high:
        raise _fail(key, f"{value} is outside [{low}, {high}]")
    return float(value)


def _integer(raw: dict[str, Any], key: str, default: int | None, low: int, high: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(key, f"must be a whole number between {low} and {high}")
    if not low <= value <= high:
        raise _fail(key, f"{value} is outside [{low}, {high}]")
    return value


def _code(value: Any, key: str) -> str:
    if not (isinstance(value, str) and len(value) == 6 and value.isdigit()):
        raise _fail(key, f"{value!r} is not a six-digit instrument code")
    return value


def _unknown(raw: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        raise _fail(extra[0], f"unknown parameter (allowed: {', '.join(sorted(allowed))})")


@dataclass(frozen=True)
class HistoricalParams:
    start: date
    end: date
    proxy_code: str | None = None
    volume_factor: float = 1.0


@dataclass(frozen=True)
class HypotheticalParams:
    horizon_days: int
    gap: float
    gap_days: int
    one_price: bool = False
    board: str | None = None
    codes: tuple[str, ...] = ()
    volume_factor: float = 1.0
    after_return: float = 0.0


ScenarioParams = HistoricalParams | HypotheticalParams


def _historical(raw: dict[str, Any]) -> HistoricalParams:
    _unknown(raw, {"start", "end", "proxy_code", "volume_factor"})
    start, end = _date(raw, "start"), _date(raw, "end")
    if end < start:
        raise _fail("end", f"{end} is before start {start}")
    if (end - start).days > MAX_HISTORICAL_DAYS * 7 // 5 + 7:
        raise _fail("end", f"a replay covers at most {MAX_HISTORICAL_DAYS} trading days")
    proxy = raw.get("proxy_code")
    return HistoricalParams(
        start=start,
        end=end,
        proxy_code=None if proxy in (None, "") else _code(proxy, "proxy_code"),
        volume_factor=_number(raw, "volume_factor", 1.0, 0.0, 1.0),
    )


def _hypothetical(raw: dict[str, Any]) -> HypotheticalParams:
    allowed = {"horizon_days", "gap", "gap_days", "one_price", "board", "codes"}
    _unknown(raw, allowed | {"volume_factor", "after_return"})
    horizon = _integer(raw, "horizon_days", None, 1, MAX_HORIZON_DAYS)
    gap_days = _integer(raw, "gap_days", 0, 0, horizon)
    one_price = raw.get("one_price", False)
    if not isinstance(one_price, bool):
        raise _fail("one_price", "must be true or false")
    board = raw.get("board")
    if board is not None and board not in BOARDS:
        raise _fail("board", f"{board!r} is not one of {', '.join(BOARDS)}")
    codes = raw.get("codes", [])
    if not isinstance(codes, list):
        raise _fail("codes", "must be a list of six-digit codes")
    return HypotheticalParams(
        horizon_days=horizon,
        gap=_number(raw, "gap", 0.0, -0.9, 0.0),
        gap_days=gap_days,
        one_price=one_price,
        board=board,
        codes=tuple(_code(c, "codes") for c in codes),
        volume_factor=_number(raw, "volume_factor", 1.0, 0.0, 1.0),
        after_return=_number(raw, "after_return", 0.0, -0.5, 0.5),
    )


def validate_params(kind: str, raw: Any) -> ScenarioParams:
    """Typed parameters of a scenario; :class:`InvalidInput` names the bad key and why."""
    if not isinstance(raw, dict):
        raise InvalidInput("params: must be a JSON object", field="params")
    if kind == ScenarioKind.HISTORICAL:
        return _historical(raw)
    if kind == ScenarioKind.HYPOTHETICAL:
        return _hypothetical(raw)
    raise InvalidInput(f"kind: {kind!r} is not a scenario kind", field="kind")


@dataclass(frozen=True)
class Universe:
    """What the paths need to know about the book's instruments (in book column order)."""

    codes: list[str]
    boards: list[str]
    adv: F64  # forecast average daily volume in shares (inf: unknown, not capped)


def hypothetical_path(
    params: HypotheticalParams, universe: Universe, participation: float
) -> ShockPath:
    """The shock as (days × instruments) price factors and sellable capacities."""
    count = len(universe.codes)
    if params.codes:
        wanted = set(params.codes)
        scope = np.array([c in wanted for c in universe.codes], dtype=bool)
    elif params.board:
        scope = np.array([b == params.board for b in universe.boards], dtype=bool)
    else:
        scope = np.ones(count, dtype=bool)
    days = np.arange(params.horizon_days)
    in_gap = days < params.gap_days
    step = np.where(in_gap, 1.0 + params.gap, 1.0 + params.after_return)
    shocked = np.cumprod(step)
    factor = np.where(scope[None, :], shocked[:, None], 1.0)
    normal = universe.adv * participation
    capacity = np.tile(np.where(scope, normal * params.volume_factor, normal), (len(days), 1))
    if params.one_price:
        capacity[np.ix_(in_gap, scope)] = 0.0
    return ShockPath(dates=[None] * len(days), price_factor=factor, capacity=capacity)


def _replay_columns(
    bars: pd.DataFrame, start: date, axis: pd.DatetimeIndex
) -> tuple[F64, F64, npt.NDArray[np.bool_], float] | None:
    """Price factors, volumes, blocked days on ``axis`` and the pre-window mean volume."""
    before = bars.loc[bars.index < pd.Timestamp(start)]
    if before.empty:
        return None
    base = float(before["close"].iloc[-1])
    usual_volume = float(before["volume"].tail(20).mean())
    window = bars.loc[bars.index >= pd.Timestamp(start)]
    prev_close = bars["close"].shift(1).loc[window.index]
    one_price = (
        (window["open"] == window["high"])
        & (window["high"] == window["low"])
        & (window["low"] == window["close"])
        & (window["close"] <= prev_close * (1.0 - LIMIT_MOVE))
    )
    on_axis = window.reindex(axis)
    traded = on_axis["close"].notna().to_numpy()
    close = on_axis["close"].ffill().fillna(base).to_numpy(dtype=float)
    volume = on_axis["volume"].fillna(0.0).to_numpy(dtype=float)
    blocked = ~traded | one_price.reindex(axis, fill_value=False).to_numpy(dtype=bool)
    return close / base, volume, blocked, usual_volume


def historical_path(
    params: HistoricalParams,
    universe: Universe,
    series: dict[str, pd.DataFrame],
    participation: float,
) -> ShockPath:
    """Replay real bars (``series`` by code, covering some days before ``start``)."""
    in_window = [
        df.index[(df.index >= pd.Timestamp(params.start)) & (df.index <= pd.Timestamp(params.end))]
        for df in series.values()
    ]
    axis = pd.DatetimeIndex(sorted(set().union(*[set(ix) for ix in in_window])))
    if axis.empty:
        raise InvalidInput(
            f"no bars between {params.start} and {params.end} for any instrument of the book "
            "or the proxy",
            field="params.start",
        )
    days = len(axis)
    factor = np.ones((days, len(universe.codes)))
    capacity = np.tile(universe.adv * participation * params.volume_factor, (days, 1))
    proxy = None
    if params.proxy_code and params.proxy_code in series:
        proxy = _replay_columns(series[params.proxy_code], params.start, axis)
    for column, code in enumerate(universe.codes):
        own = _replay_columns(series[code], params.start, axis) if code in series else None
        if own is not None:
            moves, volume, blocked, _usual = own
            factor[:, column] = moves
            capacity[:, column] = np.where(
                blocked, 0.0, volume * participation * params.volume_factor
            )
        elif proxy is not None:
            moves, volume, blocked, usual = proxy
            relative = volume / usual if usual > 0 else np.ones(days)
            factor[:, column] = moves
            capacity[:, column] = np.where(blocked, 0.0, capacity[:, column] * relative)
    return ShockPath(dates=[ts.date() for ts in axis], price_factor=factor, capacity=capacity)
