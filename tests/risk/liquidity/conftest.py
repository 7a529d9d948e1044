"""Synthetic daily bars for the liquidity tests (no database, no files)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from risk.liquidity import BoostingConfig, ForecastSettings, WalkForwardConfig

BarsFactory = Callable[..., pd.DataFrame]


def make_bars(n: int = 400, *, seed: int = 7, start: str = "2015-01-05") -> pd.DataFrame:
    """Persistent log volume (a HAR-like process) and a random-walk price with daily ranges."""
    rng = np.random.default_rng(seed)
    log_vol = np.empty(n)
    log_vol[:22] = 15.0 + 0.1 * rng.standard_normal(22)
    for t in range(22, n):
        weekly, monthly = log_vol[t - 5 : t].mean(), log_vol[t - 22 : t].mean()
        log_vol[t] = 0.6 + 0.4 * log_vol[t - 1] + 0.3 * weekly + 0.26 * monthly
        log_vol[t] += 0.25 * rng.standard_normal()
    close = 20.0 * np.exp(np.cumsum(0.015 * rng.standard_normal(n)))
    open_ = close * np.exp(0.005 * rng.standard_normal(n))
    spread = np.exp(np.abs(0.01 * rng.standard_normal(n)))
    high = np.maximum(open_, close) * spread
    low = np.minimum(open_, close) / spread
    index = pd.bdate_range(start, periods=n, name="date")
    return pd.DataFrame(
        {"open": open_, "high": high, "low": low, "close": close, "volume": np.exp(log_vol)},
        index=index,
    )


@pytest.fixture
def bars_factory() -> BarsFactory:
    """Build synthetic bars: ``bars_factory(n, seed=...)``."""
    return make_bars


@pytest.fixture
def small_settings() -> ForecastSettings:
    """Short windows and cheap trees so walk-forward tests run in well under a second each."""
    return ForecastSettings(
        har=WalkForwardConfig(train_window=150, min_train=100, refit_every=7),
        ml=WalkForwardConfig(train_window=150, min_train=100, refit_every=30),
        boosting=BoostingConfig(max_iter=20, min_samples_leaf=10),
        residual_window=60,
        min_residuals=20,
    )
