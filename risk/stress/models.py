"""Stress scenarios and their runs, persisted liquidity forecasts, regime readings, backtests.

Scenarios are data: a kind and JSON parameters validated per kind
(:mod:`risk.stress.scenarios`). A run stores its inputs as used, a row per stressed day and the
accounts that fared worst, so a result can be read back without recomputing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.money import money_field, rate_field
from risk.stress.enums import RegimeAction, RegimeLevel, RunStatus, ScenarioKind


class StressScenario(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=ScenarioKind.choices)
    description = models.TextField(_("description"), blank=True)
    params = models.JSONField(_("parameters"), default=dict)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("stress scenario")
        verbose_name_plural = _("stress scenarios")
        permissions = [("run_stressscenario", "Can run a stress test")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class StressRun(models.Model):
    scenario = models.ForeignKey(StressScenario, on_delete=models.PROTECT, related_name="runs")
    book_date = models.DateField(_("book as of"))
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices)
    params_used = models.JSONField(_("inputs as used"), default=dict)
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    positions = models.PositiveIntegerField(_("positions"), default=0)
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    warning_accounts = models.PositiveIntegerField(_("below warning line"), default=0)
    liquidation_accounts = models.PositiveIntegerField(_("below liquidation line"), default=0)
    shortfall_accounts = models.PositiveIntegerField(_("accounts with a shortfall"), default=0)
    total_debt = money_field(verbose_name=_("debt at start"), default=0)
    sold_value = money_field(verbose_name=_("sold by the liquidator"), default=0)
    unsold_value = money_field(verbose_name=_("wanted but could not be sold"), default=0)
    total_shortfall = money_field(verbose_name=_("shortfall (穿仓)"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.TextField(_("error"), blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stress run")
        verbose_name_plural = _("stress runs")

    def __str__(self) -> str:
        return f"{self.scenario.code} on {self.book_date} (#{self.pk})"


class StressRunDay(models.Model):
    """What happened on one stressed day, over the whole book."""

    run = models.ForeignKey(StressRun, on_delete=models.CASCADE, related_name="day_rows")
    index = models.PositiveSmallIntegerField(_("day"))
    date = models.DateField(_("date"), null=True, blank=True)
    warning_accounts = models.PositiveIntegerField(_("below warning line"))
    liquidation_accounts = models.PositiveIntegerField(_("below liquidation line"))
    sold_value = money_field(verbose_name=_("sold"))
    unsold_value = money_field(verbose_name=_("wanted but unsold"))
    debt = money_field(verbose_name=_("debt at close"))
    collateral = money_field(verbose_name=_("cash and securities at close"))
    shortfall = money_field(verbose_name=_("shortfall at close"))
    blocked = models.JSONField(_("instruments that could not be sold"), default=list)

    class Meta:
        ordering = ["run", "index"]
        verbose_name = _("stress run day")
        verbose_name_plural = _("stress run days")
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="one_row_per_stress_day"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} day {self.index}"


class StressRunAccount(models.Model):
    """One of the accounts that fared worst in a run (largest shortfall, then lowest ratio)."""

    run = models.ForeignKey(StressRun, on_delete=models.CASCADE, related_name="account_rows")
    rank = models.PositiveSmallIntegerField(_("rank"))
    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="+"
    )
    start_ratio = rate_field(verbose_name=_("ratio at start"), null=True)
    worst_ratio = rate_field(verbose_name=_("worst ratio"), null=True)
    first_liquidation_day = models.PositiveSmallIntegerField(_("liquidation from day"), null=True)
    debt_end = money_field(verbose_name=_("debt at end"))
    collateral_end = money_field(verbose_name=_("collateral at end"))
    unsold_value = money_field(verbose_name=_("wanted but unsold"))
    shortfall = money_field(verbose_name=_("shortfall"))

    class Meta:
        ordering = ["run", "rank"]
        verbose_name = _("stress run account")
        verbose_name_plural = _("stress run accounts")
        constraints = [
            models.UniqueConstraint(fields=["run", "rank"], name="one_account_per_stress_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} #{self.rank}"


class LiquidityForecast(models.Model):
    """Forecast average daily volume of one instrument, refreshed after each close."""

    instrument = models.ForeignKey(
        "markets.Instrument", on_delete=models.CASCADE, related_name="liquidity_forecasts"
    )
    as_of = models.DateField(_("bars up to"))
    target_date = models.DateField(_("first day forecast"))
    horizon_days = models.PositiveSmallIntegerField(_("horizon (days)"))
    model = models.CharField(_("model"), max_length=10)
    adv = models.DecimalField(_("forecast ADV (shares)"), max_digits=20, decimal_places=0)
    lower = models.DecimalField(_("lower bound"), max_digits=20, decimal_places=0)
    upper = models.DecimalField(_("upper bound"), max_digits=20, decimal_places=0)
    coverage = rate_field(verbose_name=_("interval coverage"))
    annual_volatility = rate_field(verbose_name=_("annualised volatility"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "instrument"]
        verbose_name = _("liquidity forecast")
        verbose_name_plural = _("liquidity forecasts")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "as_of", "horizon_days", "model"],
                name="one_forecast_per_instrument_day",
            ),
            models.CheckConstraint(
                condition=Q(lower__lte=models.F("adv")) & Q(adv__lte=models.F("upper")),
                name="forecast_inside_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.as_of} ADV {self.adv}"


class RegimeReading(models.Model):
    """The market regime indicator on one close, and what was done about the leverage cap."""

    as_of = models.DateField(_("as of"), unique=True)
    reference = models.CharField(_("reference instrument"), max_length=6)
    regime = models.CharField(_("indicated regime"), max_length=10, choices=RegimeLevel.choices)
    in_force = models.CharField(_("regime in force"), max_length=10, choices=RegimeLevel.choices)
    scores = models.JSONField(_("scores"), default=dict)
    drivers = models.JSONField(_("drivers"), default=list)
    action = models.CharField(_("action"), max_length=16, choices=RegimeAction.choices)
    proposal = models.ForeignKey(
        "core.ParameterVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_of"]
        verbose_name = _("market regime reading")
        verbose_name_plural = _("market regime readings")

    def __str__(self) -> str:
        return f"{self.as_of} {self.regime}"


class LeverageBacktest(models.Model):
    """An event-driven replay of a leverage package's lines over real history."""

    package = models.CharField(_("package"), max_length=40)
    codes = models.JSONField(_("instruments"), default=list)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    equity = money_field(verbose_name=_("own equity per account"))
    financing_ratio = rate_field(verbose_name=_("financing ratio used"))
    terms = models.JSONField(_("lines and ratio as used"), default=dict)
    calls = models.PositiveIntegerField(_("margin calls"), default=0)
    liquidations = models.PositiveIntegerField(_("liquidations"), default=0)
    loss = money_field(verbose_name=_("loss to the firm"), default=0)
    events = models.JSONField(_("events"), default=list)
    curve = models.JSONField(_("daily ratio by account"), default=dict)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("leverage backtest")
        verbose_name_plural = _("leverage backtests")

    def __str__(self) -> str:
        return f"{self.package} {self.start}–{self.end}"


class LiquidityModelEvaluation(models.Model):
    """One series' walk-forward evaluation of the volume models on one day.

    The ratios are each model's next-day log-volume MSE divided by the 20-day rolling mean's,
    over the same forecast days (:mod:`risk.liquidity.evaluation`). One row per series and day:
    a rerun the same day replaces the figures (the previous ones stay in the row's history);
    other days keep their rows, so the table is the evaluation's history.
    """

    series = models.CharField(_("series"), max_length=20)
    evaluated_on = models.DateField(_("evaluated on"))
    har_model = models.CharField(_("HAR specification"), max_length=40)
    rows = models.PositiveIntegerField(_("bars"))
    forecasts = models.PositiveIntegerField(_("forecast days (sample)"))
    first_day = models.DateField(_("first forecast day"))
    last_day = models.DateField(_("last forecast day"))
    baseline_mse = rate_field(verbose_name=_("rolling-mean MSE"))
    har_plain_mse_ratio = rate_field(verbose_name=_("plain HAR / rolling MSE"))
    har_mse_ratio = rate_field(verbose_name=_("HAR / rolling MSE"))
    ml_mse_ratio = rate_field(verbose_name=_("ML / rolling MSE"))
    holdout = models.JSONField(_("hold-out ratios"), default=dict)
    har_coverage = rate_field(verbose_name=_("HAR interval coverage"))
    ml_coverage = rate_field(verbose_name=_("ML interval coverage"))
    har_target = rate_field(verbose_name=_("HAR target ratio"))
    har_meets_target = models.BooleanField(_("HAR meets the target"))
    ml_beats_har = models.BooleanField(_("ML beats HAR"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-evaluated_on", "pk"]
        verbose_name = _("liquidity model evaluation")
        verbose_name_plural = _("liquidity model evaluations")
        permissions = [("run_liquiditymodelevaluation", "Can run the liquidity model evaluation")]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "evaluated_on"], name="risk_liq_eval_one_per_series_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.evaluated_on}"
