"""Walk-forward fitting: the only place that decides which rows a model may learn from.

Keeping this logic in one small engine (instead of inside each model) is what makes the
no-look-ahead guarantee checkable: for a forecast of day *D* (row position ``p``), a model is fitted
at a refit position ``r ≤ p`` on rows ``i`` whose target is fully known before ``r``, i.e.
``i + horizon − 1 < r``. Feature rows are built by the caller from data strictly before their own
day. Nothing about the rows at or after ``r`` (values, NaN pattern, count) influences the fit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd


class Predictor(Protocol):
    """A fitted model: maps a feature frame to one prediction per row."""

    def predict(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Predict the target for each row of ``features``."""
        ...


Fitter = Callable[[pd.DataFrame, pd.Series], Predictor]


@dataclass(frozen=True)
class WalkForwardConfig:
    """How a model is re-estimated through time.

    Attributes:
        train_window: number of most recent trainable rows used in each fit (a rolling window);
            ``None`` means an expanding window over all history.
        min_train: no forecast is made until this many trainable rows exist.
        refit_every: the model is re-estimated every this many rows (trading days) and used
            unchanged in between, as it would be in production with a periodic batch refit.
    """

    train_window: int | None = 1000
    min_train: int = 500
    refit_every: int = 5

    def __post_init__(self) -> None:
        if self.min_train < 1 or self.refit_every < 1:
            raise ValueError("min_train and refit_every must be at least 1")
        if self.train_window is not None and self.train_window < self.min_train:
            raise ValueError("train_window must be at least min_train")


def _masks(
    features: pd.DataFrame, target: pd.Series, required: Sequence[str]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Rows with usable features, and rows usable for training (features and target)."""
    x_ok = features[list(required)].notna().all(axis=1).to_numpy()
    y_ok = x_ok & target.notna().to_numpy()
    return x_ok, y_ok


def _training_rows(
    y_ok: npt.NDArray[np.bool_], position: int, horizon: int, train_window: int | None
) -> npt.NDArray[np.intp]:
    """Positions a model refitted at ``position`` may train on (targets known before it)."""
    last = position - horizon  # row i's target spans i..i+horizon-1, which must be < position
    rows = np.flatnonzero(y_ok[: max(last + 1, 0)])
    return rows if train_window is None else rows[-train_window:]


def fit_at_position(
    features: pd.DataFrame,
    target: pd.Series,
    *,
    fit: Fitter,
    required: Sequence[str],
    horizon: int,
    config: WalkForwardConfig,
    position: int,
) -> Predictor | None:
    """Fit a model as it would have been fitted just before row ``position``.

    Returns ``None`` when fewer than ``config.min_train`` trainable rows exist by then.
    """
    _, y_ok = _masks(features, target, required)
    rows = _training_rows(y_ok, position, horizon, config.train_window)
    if rows.size < config.min_train:
        return None
    return fit(features.iloc[rows], target.iloc[rows])


def _first_position(y_ok: npt.NDArray[np.bool_], horizon: int, min_train: int) -> int | None:
    counts = np.cumsum(y_ok)
    reached = np.flatnonzero(counts >= min_train)
    return None if reached.size == 0 else int(reached[0]) + horizon


def walk_forward_predict(
    features: pd.DataFrame,
    target: pd.Series,
    *,
    fit: Fitter,
    required: Sequence[str],
    horizon: int,
    config: WalkForwardConfig,
    start: int = 0,
) -> pd.Series:
    """Out-of-sample predictions for every row from ``start`` on, refitting periodically.

    Args:
        features: one row per forecast day, built only from data before that day.
        target: the value to predict for each row (NaN where unknown); row ``i``'s target may
            depend on rows ``i..i+horizon−1`` and no later.
        fit: trains a model on (features, target) rows and returns it.
        required: feature columns that must be present for a row to be trained on or predicted.
        horizon: number of days the target spans (1 for next-day volume).
        config: training window, minimum history and refit frequency.
        start: first row position to forecast (earlier rows still serve as training data).

    Returns:
        A Series on ``features.index`` holding predictions (NaN where no forecast was possible).
    """
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    x_ok, y_ok = _masks(features, target, required)
    out = np.full(len(features), np.nan)
    first = _first_position(y_ok, horizon, config.min_train)
    if first is None:
        return pd.Series(out, index=features.index, name="forecast")
    for refit in range(max(first, start), len(features), config.refit_every):
        rows = _training_rows(y_ok, refit, horizon, config.train_window)
        model = fit(features.iloc[rows], target.iloc[rows])
        block = np.arange(refit, min(refit + config.refit_every, len(features)))
        block = block[x_ok[block]]
        if block.size:
            out[block] = model.predict(features.iloc[block])
    return pd.Series(out, index=features.index, name="forecast")
