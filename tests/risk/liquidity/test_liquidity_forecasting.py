"""Volume models: baseline arithmetic, HAR estimation, walk-forward discipline, intervals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risk.liquidity import (
    HAR_CHOSEN,
    HAR_EXTRA_COLUMNS,
    HAR_PLAIN,
    MODELS,
    ForecastSettings,
    HarModel,
    HarSpec,
    InsufficientHistoryError,
    ModelName,
    WalkForwardConfig,
    forecast_volume,
    interval_from_residuals,
    model_features,
    prepare_bars,
    rolling_intervals,
    rolling_mean_forecast,
    to_shares,
    volume_target,
    walk_forward_forecasts,
    walk_forward_predict,
)

BarsFactory = Callable[..., pd.DataFrame]


def test_rolling_mean_forecast_uses_the_twenty_days_before() -> None:
    log_vol = pd.Series(np.arange(30, dtype=float))

    forecast = rolling_mean_forecast(log_vol)

    assert forecast.iloc[:20].isna().all()
    assert forecast.iloc[20] == np.mean(np.arange(0, 20))  # days 0..19 for day 20
    assert forecast.iloc[29] == np.mean(np.arange(9, 29))


def test_volume_target_is_log_of_average_volume_over_the_horizon() -> None:
    bars = pd.DataFrame({"volume": [100.0, 300.0, 200.0]})

    target = volume_target(bars, horizon=2)

    assert target.iloc[0] == pytest.approx(np.log(200.0), abs=1e-15)
    assert target.iloc[1] == pytest.approx(np.log(250.0), abs=1e-15)
    assert np.isnan(target.iloc[2])  # day 3 is not known yet


def test_har_least_squares_recovers_exact_coefficients() -> None:
    rng = np.random.default_rng(3)
    features = pd.DataFrame(rng.normal(size=(50, 3)), columns=["har_d", "har_w", "har_m"])
    target = 1.0 + 0.5 * features["har_d"] + 0.3 * features["har_w"] + 0.1 * features["har_m"]

    model = HarModel.fit(features, target)

    np.testing.assert_allclose(model.coefficients, [1.0, 0.5, 0.3, 0.1], atol=1e-12)
    np.testing.assert_allclose(model.predict(features.iloc[:2]), target.iloc[:2], atol=1e-12)


def test_har_spec_with_extras_recovers_exact_coefficients() -> None:
    rng = np.random.default_rng(4)
    columns = ["har_d", "har_w", "har_m", "dow_mon", "log_range_d"]
    features = pd.DataFrame(rng.normal(size=(80, 5)), columns=columns)
    features["dow_mon"] = (features["dow_mon"] > 0).astype(float)
    target = 0.5 + features @ np.array([0.4, 0.3, 0.2, -0.15, 0.05])
    spec = HarSpec(name="test", extras=("dow_mon", "log_range_d"))

    model = HarModel.fit(features, target, spec)

    np.testing.assert_allclose(model.coefficients, [0.5, 0.4, 0.3, 0.2, -0.15, 0.05], atol=1e-12)
    assert model.columns == spec.columns
    np.testing.assert_allclose(model.predict(features), target, atol=1e-12)


def test_har_half_life_is_weighted_least_squares_by_age() -> None:
    rng = np.random.default_rng(5)
    features = pd.DataFrame(rng.normal(size=(40, 3)), columns=["har_d", "har_w", "har_m"])
    target = pd.Series(rng.normal(size=40))
    weights = 0.5 ** (np.arange(39, -1, -1) / 10.0)  # the newest row has weight 1
    design = HarModel.design(features)
    expected = np.linalg.solve(
        design.T @ (weights[:, None] * design), design.T @ (weights * target)
    )

    model = HarModel.fit(features, target, HarSpec(name="hl", half_life=10.0))

    np.testing.assert_allclose(model.coefficients, expected, atol=1e-10)


def test_har_huber_fit_shrugs_off_a_volume_spike_that_moves_ols() -> None:
    rng = np.random.default_rng(6)
    features = pd.DataFrame(rng.normal(size=(200, 3)), columns=["har_d", "har_w", "har_m"])
    truth = np.array([1.0, 0.5, 0.3, 0.1])
    target = HarModel.design(features) @ truth + 0.05 * rng.standard_normal(200)
    target[:6] += 5.0  # a few one-off spikes
    series = pd.Series(target)

    ols = HarModel.fit(features, series)
    huber = HarModel.fit(features, series, HarSpec(name="huber", robust=True))

    assert np.abs(huber.coefficients - truth).max() < 0.02
    assert np.abs(ols.coefficients - truth).max() > 0.1


def test_har_spec_rejects_unknown_regressors_and_bad_half_life() -> None:
    with pytest.raises(ValueError, match="unknown HAR regressors: volume_d"):
        HarSpec(extras=("volume_d",))
    with pytest.raises(ValueError, match="half_life"):
        HarSpec(half_life=0.0)


def test_default_har_is_the_chosen_spec_and_plain_har_is_unchanged() -> None:
    assert ForecastSettings().har_spec == HAR_CHOSEN
    assert HAR_PLAIN.columns == ("har_d", "har_w", "har_m")
    assert set(HAR_CHOSEN.extras) <= set(HAR_EXTRA_COLUMNS)


class _Recorder:
    """A fitter that remembers what it trained on and what it was asked to predict."""

    def __init__(self) -> None:
        self.calls: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []

    def __call__(self, features: pd.DataFrame, target: pd.Series) -> _Recorder.Fitted:
        return _Recorder.Fitted(self, features.index.to_numpy())

    class Fitted:
        def __init__(self, recorder: _Recorder, trained: npt.NDArray[np.int64]) -> None:
            self.recorder, self.trained = recorder, trained

        def predict(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
            self.recorder.calls.append((self.trained, features.index.to_numpy()))
            return np.zeros(len(features))


@pytest.mark.parametrize("horizon", [1, 3])
def test_walk_forward_trains_only_on_targets_known_before_the_forecast(horizon: int) -> None:
    features = pd.DataFrame({"x": np.arange(60, dtype=float)})
    target = pd.Series(np.arange(60, dtype=float))
    recorder = _Recorder()
    config = WalkForwardConfig(train_window=10, min_train=8, refit_every=4)

    forecast = walk_forward_predict(
        features, target, fit=recorder, required=["x"], horizon=horizon, config=config
    )

    assert forecast.first_valid_index() == 7 + horizon  # 8 trainable rows: 0..7
    for trained, predicted in recorder.calls:
        assert trained.max() + horizon - 1 < predicted.min()  # outcome known before day D
        assert len(trained) <= 10
    assert sorted(np.concatenate([p for _, p in recorder.calls])) == list(range(7 + horizon, 60))


def _perturb_from(bars: pd.DataFrame, day: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    changed = bars.copy()
    factor = np.exp(rng.normal(0.0, 0.5, size=(len(bars) - day, 1)))
    changed.iloc[day:] = changed.iloc[day:].to_numpy() * factor * [1, 1.02, 0.98, 1, 3]
    return changed


@pytest.mark.parametrize("model", ["rolling", "har", "ml"])
@pytest.mark.parametrize("day", [152, 157, 190])  # 152: an ML refit day, 157: a HAR refit day
def test_forecast_for_day_d_ignores_all_data_from_d_on(
    model: ModelName, day: int, bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    bars = bars_factory(260, seed=11)

    original = walk_forward_forecasts(bars, model=model, settings=small_settings)
    changed = walk_forward_forecasts(
        _perturb_from(bars, day, seed=5), model=model, settings=small_settings
    )

    assert np.isfinite(original["forecast"].iloc[day])
    pd.testing.assert_series_equal(
        original["forecast"].iloc[: day + 1], changed["forecast"].iloc[: day + 1]
    )
    assert original["actual"].iloc[day] != changed["actual"].iloc[day]


_ALL_EXTRAS = HarSpec(name="all", extras=HAR_EXTRA_COLUMNS, robust=True, half_life=50.0)


@pytest.mark.parametrize("spec", [HAR_CHOSEN, _ALL_EXTRAS], ids=lambda spec: spec.name)
@pytest.mark.parametrize("day", [157, 190])  # 157: a HAR refit day
def test_har_type_forecast_for_day_d_ignores_data_and_suspensions_from_d_on(
    spec: HarSpec,
    day: int,
    bars_factory: BarsFactory,
    small_settings: ForecastSettings,
) -> None:
    full = bars_factory(280, seed=11)
    bars = full.drop(full.index[7::13])  # holidays, so the calendar terms get a coefficient
    settings = replace(small_settings, har_spec=spec)
    changed = _perturb_from(bars, day, seed=5)
    limit_up = 1.1 * changed["close"].iloc[day - 1]  # a one-price limit-up day
    changed.iloc[day, :4] = limit_up
    suspended = changed.drop(changed.index[day + 1 : day + 12])  # and a suspension after it

    original = walk_forward_forecasts(bars, model="har", settings=settings)["forecast"]

    assert np.isfinite(original.iloc[day])
    for other in (changed, suspended):
        forecast = walk_forward_forecasts(other, model="har", settings=settings)["forecast"]
        pd.testing.assert_series_equal(
            original.iloc[: day + 1], forecast.iloc[: day + 1], check_freq=False
        )


def test_har_spec_and_plain_har_differ_where_the_calendar_matters(
    bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    bars = bars_factory(260, seed=18)
    plain = walk_forward_forecasts(
        bars, model="har", settings=replace(small_settings, har_spec=HAR_PLAIN)
    )
    chosen = walk_forward_forecasts(bars, model="har", settings=small_settings)

    both = pd.concat([plain["forecast"], chosen["forecast"]], axis=1).dropna()
    assert len(both) > 100
    assert not np.allclose(both.iloc[:, 0], both.iloc[:, 1])


def test_multi_day_har_forecast_ignores_data_from_d_on(
    bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    bars = bars_factory(260, seed=12)
    day = 200

    original = walk_forward_forecasts(bars, model="har", horizon=5, settings=small_settings)
    changed = walk_forward_forecasts(
        _perturb_from(bars, day, seed=6), model="har", horizon=5, settings=small_settings
    )

    pd.testing.assert_series_equal(
        original["forecast"].iloc[: day + 1], changed["forecast"].iloc[: day + 1]
    )


def test_model_features_for_day_d_use_only_earlier_bars(bars_factory: BarsFactory) -> None:
    bars = bars_factory(300, seed=13)
    funding = pd.DataFrame({"repo": np.linspace(1.5, 2.5, 300)}, index=bars.index)
    day = 280

    original = model_features(bars, funding)
    changed_funding = funding.copy()
    changed_funding.iloc[day:] = 9.0
    changed = model_features(_perturb_from(bars, day, seed=7), changed_funding)

    pd.testing.assert_frame_equal(original.iloc[: day + 1], changed.iloc[: day + 1])
    assert {"fund_repo", "fund_repo_chg5"} <= set(original.columns)


def test_ml_forecasts_are_deterministic(
    bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    bars = bars_factory(220, seed=14)

    first = walk_forward_forecasts(bars, model="ml", settings=small_settings)
    second = walk_forward_forecasts(bars, model="ml", settings=small_settings)

    pd.testing.assert_frame_equal(first, second)


def test_interval_from_residuals_hand_computed() -> None:
    residuals = [-0.1, 0.0, 0.1, 0.2]

    q_lo, q_hi, smearing = interval_from_residuals(residuals, coverage=0.5)

    # 25% and 75% quantiles by linear interpolation: positions 0.75 and 2.25.
    assert q_lo == pytest.approx(-0.025, abs=1e-15)
    assert q_hi == pytest.approx(0.125, abs=1e-15)
    assert smearing == pytest.approx(np.mean(np.exp(residuals)), abs=1e-15)


def test_rolling_intervals_use_only_residuals_known_before_the_day() -> None:
    forecast = pd.Series(np.zeros(6))
    actual = pd.Series([0.1, -0.2, 0.3, 0.0, 0.5, np.nan])

    bands = rolling_intervals(forecast, actual, coverage=0.5, residual_window=3, min_residuals=2)

    assert bands["adv"].iloc[:2].isna().all()  # fewer than 2 earlier residuals
    # Day 4 uses residuals of days 1..3 = [-0.2, 0.3, 0.0]: q25 = −0.1, q75 = 0.15.
    assert bands["lower"].iloc[4] == pytest.approx(np.exp(-0.1), abs=1e-15)
    assert bands["upper"].iloc[4] == pytest.approx(np.exp(0.15), abs=1e-15)
    assert bands["smearing"].iloc[4] == pytest.approx(np.mean(np.exp([-0.2, 0.3, 0.0])))
    assert bands["n_residuals"].iloc[5] == 3


@settings(max_examples=60, deadline=None)
@given(
    log_point=st.floats(5, 25),
    residuals=st.lists(st.floats(-3, 3), min_size=1, max_size=50),
    coverage=st.floats(0.05, 0.99),
)
def test_interval_always_contains_the_point_forecast(
    log_point: float, residuals: list[float], coverage: float
) -> None:
    q_lo, q_hi, smearing = interval_from_residuals(residuals, coverage=coverage)

    adv, lower, upper = to_shares(log_point, q_lo, q_hi, smearing)

    assert lower <= adv <= upper


def test_forecast_volume_returns_point_and_interval_for_next_session(
    bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    bars = bars_factory(260, seed=15)

    for model in MODELS:
        result = forecast_volume(bars, model=model, settings=small_settings)

        assert result.as_of == bars.index[-1].date()
        assert result.target_date == dt.date(2016, 1, 4)  # last bar Friday 1 Jan → Monday
        assert result.lower <= result.adv <= result.upper
        assert result.residuals_used == small_settings.residual_window
        assert result.adv == pytest.approx(np.exp(result.log_forecast) * result.smearing_factor)


def test_forecast_volume_ignores_bars_handed_in_unsorted(
    bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    bars = bars_factory(240, seed=16)

    ordered = forecast_volume(bars, model="har", horizon_days=5, settings=small_settings)
    shuffled = forecast_volume(
        bars.sample(frac=1.0, random_state=1), model="har", horizon_days=5, settings=small_settings
    )

    assert ordered == shuffled
    assert ordered.horizon_days == 5


def test_forecast_volume_uses_the_session_the_caller_names(
    bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    bars = bars_factory(240, seed=17)

    result = forecast_volume(
        bars, model="ml", next_date=dt.date(2015, 12, 8), settings=small_settings
    )

    assert result.target_date == dt.date(2015, 12, 8)


def test_forecast_volume_refuses_short_history(
    bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    with pytest.raises(InsufficientHistoryError, match="residuals"):
        forecast_volume(bars_factory(120), model="har", settings=small_settings)


def test_forecast_volume_refuses_next_date_not_after_last_bar(
    bars_factory: BarsFactory, small_settings: ForecastSettings
) -> None:
    bars = bars_factory(240)
    with pytest.raises(ValueError, match="after the last bar"):
        forecast_volume(bars, next_date=bars.index[-1], settings=small_settings)


def test_suspension_gap_is_not_a_trading_day(bars_factory: BarsFactory) -> None:
    bars = bars_factory(60)
    suspended = bars.drop(bars.index[30:40])
    with_zero_rows = bars.copy()
    with_zero_rows.iloc[30:40, with_zero_rows.columns.get_loc("volume")] = 0.0

    pd.testing.assert_frame_equal(
        model_features(prepare_bars(suspended)), model_features(prepare_bars(with_zero_rows))
    )
    assert model_features(prepare_bars(suspended)).loc[bars.index[40], "gap_days"] == 17.0
