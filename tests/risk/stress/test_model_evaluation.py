"""The liquidity models' evaluation: stored per series and day, shown in the console."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from risk.liquidity import evaluation
from risk.liquidity.evaluation import HAR_TARGET, PLAIN_SETTINGS
from risk.liquidity.forecasting import forecasts_from_features, volume_target
from risk.liquidity.models import model_features
from risk.stress.evaluation_services import liquidity_models_evaluate
from risk.stress.models import LiquidityModelEvaluation
from tests.custody.test_console import console

DAY = date(2026, 3, 2)


def synthetic_bars(seed: int, rows: int = 720) -> pd.DataFrame:
    """Deterministic daily OHLCV: AR(1) log volume with a weekly cycle, a random-walk price."""
    rng = np.random.default_rng(seed)
    log_volume = np.empty(rows)
    log_volume[0] = 15.0
    for t in range(1, rows):
        log_volume[t] = 15.0 + 0.8 * (log_volume[t - 1] - 15.0) + rng.normal(0, 0.3)
    days = pd.bdate_range("2020-01-02", periods=rows)
    log_volume += np.where(days.day_of_week == 0, -0.2, 0.0)
    close = 10 * np.exp(np.cumsum(rng.normal(0, 0.015, rows)))
    spread = np.abs(rng.normal(0, 0.01, rows)) + 0.002
    return pd.DataFrame(
        {
            "open": close * (1 + np.clip(rng.normal(0, 0.003, rows), -spread, spread)),
            "high": close * (1 + spread),
            "low": close * (1 - spread),
            "close": close,
            "volume": np.round(np.exp(log_volume)),
        },
        index=pd.Index(days.strftime("%Y-%m-%d"), name="datetime"),
    )


SMALL = {"alpha": lambda: synthetic_bars(1), "beta": lambda: synthetic_bars(2)}


def expected_ratios(raw: pd.DataFrame) -> dict[str, float]:
    """MSE of each model over the days where all have a forecast, over the rolling mean's."""
    from risk.liquidity.bars import prepare_bars

    bars = prepare_bars(raw)
    features, target = model_features(bars), volume_target(bars)
    frame = pd.DataFrame(
        {
            "rolling": forecasts_from_features(features, target, model="rolling"),
            "plain": forecasts_from_features(
                features, target, model="har", settings=PLAIN_SETTINGS
            ),
            "har": forecasts_from_features(features, target, model="har"),
            "ml": forecasts_from_features(features, target, model="ml"),
            "actual": target,
        }
    ).dropna()
    mse = {c: float(((frame[c] - frame["actual"]) ** 2).mean()) for c in frame.columns}
    return {
        "n": len(frame),
        "har": mse["har"] / mse["rolling"],
        "ml": mse["ml"] / mse["rolling"],
        "plain": mse["plain"] / mse["rolling"],
    }


def test_one_row_per_series_with_the_ratios_of_the_models(db, risk_officer):
    rows = liquidity_models_evaluate(on=DAY, actor=risk_officer, series=SMALL)

    assert [r.series for r in rows] == ["alpha", "beta"]
    assert LiquidityModelEvaluation.objects.count() == 2
    for row in rows:
        want = expected_ratios(SMALL[row.series]())
        assert row.forecasts == want["n"] > 100
        assert float(row.har_mse_ratio) == pytest.approx(want["har"], abs=1e-8)
        assert float(row.ml_mse_ratio) == pytest.approx(want["ml"], abs=1e-8)
        assert float(row.har_plain_mse_ratio) == pytest.approx(want["plain"], abs=1e-8)
        # An AR(1) with a Monday effect: the HAR models beat the 20-day mean by far.
        assert want["har"] < 0.9
        assert row.har_meets_target == (want["har"] <= HAR_TARGET)
        assert row.ml_beats_har == (want["ml"] < want["har"])
        assert row.har_target == Decimal("0.75")
        assert row.evaluated_on == DAY
        assert row.run_by == risk_officer
        assert row.first_day < row.last_day
        assert set(row.holdout) == {"har_plain", "har", "ml"}


def test_a_rerun_the_same_day_replaces_and_keeps_history_other_days_add(db, risk_officer):
    first = liquidity_models_evaluate(on=DAY, actor=risk_officer, series=SMALL, names=["alpha"])
    LiquidityModelEvaluation.objects.filter(pk=first[0].pk).update(har_mse_ratio=Decimal("9"))

    again = liquidity_models_evaluate(on=DAY, actor=None, series=SMALL, names=["alpha"])

    assert again[0].pk == first[0].pk
    assert LiquidityModelEvaluation.objects.count() == 1
    assert again[0].har_mse_ratio == first[0].har_mse_ratio  # recomputed, not the 9
    assert again[0].history.count() == 2  # created, then replaced

    liquidity_models_evaluate(on=date(2026, 3, 3), actor=None, series=SMALL, names=["alpha"])
    assert LiquidityModelEvaluation.objects.filter(series="alpha").count() == 2


def test_an_unknown_series_is_refused_before_anything_is_stored(db):
    with pytest.raises(KeyError, match="gamma"):
        liquidity_models_evaluate(on=DAY, actor=None, series=SMALL, names=["alpha", "gamma"])
    assert not LiquidityModelEvaluation.objects.exists()


def test_the_benchmark_summary_line_has_the_issue_format():
    rows = evaluation.evaluate_series(SMALL, names=["alpha"])
    line = evaluation.summary(rows)
    assert list(line) == ["alpha"]
    assert set(line["alpha"]) == {"har_mse_ratio", "ml_mse_ratio"}
    assert line["alpha"]["har_mse_ratio"] == round(rows[0].har_ratio, 4)


def test_the_benchmark_baseline_row_is_the_evaluation_plain_har():
    from benchmarks.liquidity_eval import HAR_CANDIDATES

    assert HAR_CANDIDATES["har_plain"].settings() == PLAIN_SETTINGS


def test_the_console_shows_the_table_and_runs_the_evaluation(
    db, risk_officer, monkeypatch, django_capture_on_commit_callbacks
):
    liquidity_models_evaluate(on=DAY, actor=None, series=SMALL)
    browser = console(risk_officer)
    url = reverse("admin:risk_liquiditymodelevaluation_changelist")

    page = browser.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "alpha" in html and "beta" in html
    assert "Run the evaluation now" in html
    row = LiquidityModelEvaluation.objects.get(series="alpha")
    assert f"{row.har_mse_ratio}" in html
    detail = browser.get(reverse("admin:risk_liquiditymodelevaluation_change", args=[row.pk]))
    assert detail.status_code == 200

    monkeypatch.setattr(evaluation, "SERIES", {"gamma": SMALL["alpha"]})
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("admin:risk_liquiditymodelevaluation_run"))
    assert response.status_code == 302
    stored = LiquidityModelEvaluation.objects.get(series="gamma")
    assert stored.run_by == risk_officer


def test_only_staff_with_the_permission_can_start_a_run(db, make_staff):
    from accounts.enums import StaffRole

    auditor = make_staff(StaffRole.AUDITOR)
    browser = console(auditor)
    page = browser.get(reverse("admin:risk_liquiditymodelevaluation_changelist"))
    assert page.status_code == 200
    assert "Run the evaluation now" not in page.content.decode()
    assert browser.post(reverse("admin:risk_liquiditymodelevaluation_run")).status_code == 403
