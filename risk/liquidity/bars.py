"""Normalising daily bars before any liquidity computation.

Every function in this package assumes the same shape of input: a DataFrame indexed by trading
date (ascending, unique) with lower-case ``open``, ``high``, ``low``, ``close``, ``volume`` and an
optional ``amount`` (traded value). Data arrives in other shapes (``arch`` ships ``Open``/``High``/
``Adj Close``; exchange files may carry a ``datetime`` column), so :func:`prepare_bars` is the one
place where that is reconciled, instead of every feature re-checking its input.
"""

from __future__ import annotations

import pandas as pd

PRICE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close")
REQUIRED_COLUMNS: tuple[str, ...] = (*PRICE_COLUMNS, "volume")
OPTIONAL_COLUMNS: tuple[str, ...] = ("amount",)


def prepare_bars(bars: pd.DataFrame, *, date_column: str | None = None) -> pd.DataFrame:
    """Return a clean copy of ``bars``: lower-case columns, sorted unique date index, trading days.

    A row whose volume is zero, negative or missing, or whose prices are missing or not positive,
    is dropped: for a volume model it is not a trading day. That is how a suspension written as a
    row (instead of being left out) is treated, and it removes the handful of zero-volume data
    errors in the public index files (NASDAQ has two). Days that are simply absent are already
    non-trading days for that instrument, so no calendar re-indexing happens here: a suspension
    leaves a gap between consecutive rows, and "lag 1" means the previous *traded* day.
    One-price limit days (open = high = low = close with tiny volume) are real data and are kept.

    Args:
        bars: daily bars; column names are matched case-insensitively.
        date_column: name of a column holding the dates when they are not the index
            (e.g. ``"datetime"`` in the A-share CSVs).

    Raises:
        ValueError: if a required column is missing or the dates cannot be parsed.
    """
    frame = bars.copy()
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    if date_column is not None:
        frame = frame.set_index(date_column.strip().lower())
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"bars are missing required columns: {', '.join(missing)}")
    keep = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in frame.columns]
    frame = frame[keep].apply(pd.to_numeric, errors="coerce").astype(float)
    frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index), name="date")
    frame = frame[~frame.index.duplicated(keep="last")].sort_index()
    traded = (frame["volume"] > 0) & (frame[list(PRICE_COLUMNS)] > 0).all(axis=1)
    return frame.loc[traded]


def traded_value(bars: pd.DataFrame) -> pd.Series:
    """Traded value per day: ``amount`` when present, else ``close × volume``.

    ``close × volume`` is an approximation (the day's trades happen at many prices, not at the
    close); it is what the Amihud measure falls back on when the exchange's turnover value is not
    supplied. Rows where ``amount`` is missing also fall back to the approximation.
    """
    approximation = bars["close"] * bars["volume"]
    if "amount" not in bars.columns:
        return approximation.rename("amount")
    return bars["amount"].where(bars["amount"] > 0, approximation).rename("amount")
