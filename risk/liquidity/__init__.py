"""Liquidity analytics: features, volume forecasts, liquidation horizon, haircuts and regimes.

Framework-free numeric code (numpy, pandas, scikit-learn): the Django
services load bars and approved parameters from the database and call the functions re-exported
here; nothing in this package touches the database, settings or global state.
"""

from risk.liquidity.bars import prepare_bars, traded_value
from risk.liquidity.features import (
    amihud_daily,
    amihud_monthly,
    amihud_rolling,
    corwin_schultz_spread,
    corwin_schultz_spread_rolling,
    garman_klass_variance,
    garman_klass_volatility,
    har_regressors,
    log_volume,
    parkinson_variance,
    parkinson_volatility,
    simple_returns,
    turnover,
)
from risk.liquidity.forecasting import (
    MODELS,
    ForecastSettings,
    InsufficientHistoryError,
    ModelName,
    VolumeForecast,
    forecast_volume,
    forecasts_from_features,
    volume_target,
    walk_forward_forecasts,
)
from risk.liquidity.intervals import interval_from_residuals, rolling_intervals, to_shares
from risk.liquidity.liquidation import (
    LiquidityHaircutParameters,
    days_to_liquidate,
    liquidity_adjusted_value,
    liquidity_adjusted_values,
    liquidity_haircut,
)
from risk.liquidity.models import (
    HAR_COLUMNS,
    BoostingConfig,
    BoostingModel,
    HarModel,
    model_features,
    rolling_mean_forecast,
)
from risk.liquidity.regime import (
    SIGNALS,
    Regime,
    RegimeAssessment,
    RegimeParameters,
    classify_regime,
    market_regime,
    regime_history,
    regime_scores,
)
from risk.liquidity.walkforward import WalkForwardConfig, fit_at_position, walk_forward_predict

__all__ = [
    "HAR_COLUMNS",
    "MODELS",
    "SIGNALS",
    "BoostingConfig",
    "BoostingModel",
    "ForecastSettings",
    "HarModel",
    "InsufficientHistoryError",
    "LiquidityHaircutParameters",
    "ModelName",
    "Regime",
    "RegimeAssessment",
    "RegimeParameters",
    "VolumeForecast",
    "WalkForwardConfig",
    "amihud_daily",
    "amihud_monthly",
    "amihud_rolling",
    "classify_regime",
    "corwin_schultz_spread",
    "corwin_schultz_spread_rolling",
    "days_to_liquidate",
    "fit_at_position",
    "forecast_volume",
    "forecasts_from_features",
    "garman_klass_variance",
    "garman_klass_volatility",
    "har_regressors",
    "interval_from_residuals",
    "liquidity_adjusted_value",
    "liquidity_adjusted_values",
    "liquidity_haircut",
    "log_volume",
    "market_regime",
    "model_features",
    "parkinson_variance",
    "parkinson_volatility",
    "prepare_bars",
    "regime_history",
    "regime_scores",
    "rolling_intervals",
    "rolling_mean_forecast",
    "simple_returns",
    "to_shares",
    "traded_value",
    "turnover",
    "volume_target",
    "walk_forward_forecasts",
    "walk_forward_predict",
]
