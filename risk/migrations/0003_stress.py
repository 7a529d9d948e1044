"""Stress scenarios and runs, liquidity forecasts, regime readings and leverage backtests; the
parameter sets they read, with the firm's starting values (effective 2015-01-01 so that replays
of 2015–2016 history have them). Later changes go through maker-checker. The schemas below are
frozen copies of ``risk/stress/keys.py`` as of this migration.
"""

from datetime import date

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

LIQUIDITY_SCHEMA = {
    "days_coefficient": {
        "label": "Haircut added per day of liquidation beyond the grace days",
        "max": "1",
        "min": "0",
        "type": "decimal",
    },
    "forecast_coverage": {
        "label": "Central probability of the forecast interval",
        "max": "0.99",
        "min": "0.5",
        "type": "decimal",
    },
    "forecast_horizon_days": {
        "label": "Days whose average volume is forecast",
        "max": 60,
        "min": 1,
        "type": "integer",
    },
    "forecast_model": {
        "choices": ["rolling", "har", "ml"],
        "label": "Model of the published volume forecast",
        "type": "choice",
    },
    "grace_days": {
        "label": "Days of liquidation already priced into the base haircut",
        "max": "20",
        "min": "0",
        "type": "decimal",
    },
    "liquidation_cost_rate": {
        "label": "Costs of a forced sale as a fraction of proceeds (stress tests)",
        "max": "0.1",
        "min": "0",
        "type": "decimal",
    },
    "max_haircut": {
        "label": "Largest total liquidity haircut",
        "max": "1",
        "min": "0.01",
        "type": "decimal",
    },
    "participation_rate": {
        "label": "Share of a day's volume a liquidator may take (days to liquidate, stress)",
        "max": "1",
        "min": "0.001",
        "type": "decimal",
    },
    "periods_per_year": {
        "label": "Trading days per year (annualising volatility)",
        "max": 366,
        "min": 200,
        "type": "integer",
    },
    "volatility_multiplier": {
        "label": "Standard deviations of price move covered while liquidating",
        "max": "10",
        "min": "0",
        "type": "decimal",
    },
}

REGIME_INDICATOR_SCHEMA = {
    "amihud_jump_crisis": {
        "label": "amihud_jump: crisis threshold",
        "max": "100",
        "min": "-100",
        "type": "decimal",
    },
    "amihud_jump_stressed": {
        "label": "amihud_jump: stressed threshold",
        "max": "100",
        "min": "-100",
        "type": "decimal",
    },
    "auto_apply_up_to": {
        "choices": ["none", "stressed", "crisis"],
        "label": "Tightening the indicator may apply without a second approval, "
        "up to this regime (none: every change waits for a risk "
        "officer)",
        "type": "choice",
    },
    "baseline_window": {"label": "Baseline (days)", "max": 500, "min": 10, "type": "integer"},
    "funding_series": {
        "label": "Funding series key for the funding signal (empty: none)",
        "type": "string",
    },
    "funding_z_crisis": {
        "label": "funding_z: crisis threshold",
        "max": "100",
        "min": "-100",
        "type": "decimal",
    },
    "funding_z_stressed": {
        "label": "funding_z: stressed threshold",
        "max": "100",
        "min": "-100",
        "type": "decimal",
    },
    "reference_code": {
        "label": "Instrument whose bars describe the market (six-digit code)",
        "type": "string",
    },
    "short_window": {"label": "Short window (days)", "max": 60, "min": 1, "type": "integer"},
    "vol_z_crisis": {
        "label": "vol_z: crisis threshold",
        "max": "100",
        "min": "-100",
        "type": "decimal",
    },
    "vol_z_stressed": {
        "label": "vol_z: stressed threshold",
        "max": "100",
        "min": "-100",
        "type": "decimal",
    },
    "volume_drop_crisis": {
        "label": "volume_drop: crisis threshold",
        "max": "100",
        "min": "-100",
        "type": "decimal",
    },
    "volume_drop_stressed": {
        "label": "volume_drop: stressed threshold",
        "max": "100",
        "min": "-100",
        "type": "decimal",
    },
}

LIQUIDITY_DEFAULTS = {
    "days_coefficient": "0.01",
    "forecast_coverage": "0.90",
    "forecast_horizon_days": 5,
    "forecast_model": "har",
    "grace_days": "1",
    "liquidation_cost_rate": "0.002",
    "max_haircut": "1",
    "participation_rate": "0.10",
    "periods_per_year": 242,
    "volatility_multiplier": "2.33",
}

REGIME_INDICATOR_DEFAULTS = {
    "amihud_jump_crisis": "1.8",
    "amihud_jump_stressed": "1",
    "auto_apply_up_to": "none",
    "baseline_window": 120,
    "funding_series": "gc001",
    "funding_z_crisis": "4",
    "funding_z_stressed": "2.5",
    "reference_code": "000001",
    "short_window": 5,
    "vol_z_crisis": "3.5",
    "vol_z_stressed": "2",
    "volume_drop_crisis": "1",
    "volume_drop_stressed": "0.5",
}

SETS = [
    (
        "liquidity-outputs",
        "Liquidity outputs and stress tests",
        "Participation rate, forced-sale costs, the published volume forecast and the "
        "liquidity haircut.",
        LIQUIDITY_SCHEMA,
        LIQUIDITY_DEFAULTS,
    ),
    (
        "liquidity-regime",
        "Market regime indicator",
        "Reference market, windows and thresholds of the normal / stressed / crisis indicator, "
        "and how far it may tighten the leverage cap without a second approval.",
        REGIME_INDICATOR_SCHEMA,
        REGIME_INDICATOR_DEFAULTS,
    ),
]


def define_sets(apps, schema_editor):
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    for key, name, description, schema, values in SETS:
        parameter_set, _ = ParameterSet.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "schema": schema,
                "category": "risk",
                "description": description,
            },
        )
        ParameterVersion.objects.get_or_create(
            parameter_set=parameter_set,
            effective_from=date(2015, 1, 1),
            status="approved",
            defaults={
                "values": values,
                "source": "seed",
                "reason": "Starting setting recorded with the schema; change it by maker-checker.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0002_liquidation"),
        ("core", "0002_audit_append_only_trigger"),
        ("custody", "0005_trading_parameters"),
        ("markets", "0006_trading_rules_funds_lots_series"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalLeverageBacktest",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("package", models.CharField(max_length=40, verbose_name="package")),
                ("codes", models.JSONField(default=list, verbose_name="instruments")),
                ("start", models.DateField(verbose_name="from")),
                ("end", models.DateField(verbose_name="to")),
                (
                    "equity",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="own equity per account"
                    ),
                ),
                (
                    "financing_ratio",
                    models.DecimalField(
                        decimal_places=8, max_digits=12, verbose_name="financing ratio used"
                    ),
                ),
                ("terms", models.JSONField(default=dict, verbose_name="lines and ratio as used")),
                ("calls", models.PositiveIntegerField(default=0, verbose_name="margin calls")),
                (
                    "liquidations",
                    models.PositiveIntegerField(default=0, verbose_name="liquidations"),
                ),
                (
                    "loss",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="loss to the firm"
                    ),
                ),
                ("events", models.JSONField(default=list, verbose_name="events")),
                ("curve", models.JSONField(default=dict, verbose_name="daily ratio by account")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "run_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical leverage backtest",
                "verbose_name_plural": "historical leverage backtests",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRegimeReading",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("as_of", models.DateField(db_index=True, verbose_name="as of")),
                ("reference", models.CharField(max_length=6, verbose_name="reference instrument")),
                (
                    "regime",
                    models.CharField(
                        choices=[
                            ("normal", "normal"),
                            ("stressed", "stressed"),
                            ("crisis", "crisis"),
                        ],
                        max_length=10,
                        verbose_name="indicated regime",
                    ),
                ),
                (
                    "in_force",
                    models.CharField(
                        choices=[
                            ("normal", "normal"),
                            ("stressed", "stressed"),
                            ("crisis", "crisis"),
                        ],
                        max_length=10,
                        verbose_name="regime in force",
                    ),
                ),
                ("scores", models.JSONField(default=dict, verbose_name="scores")),
                ("drivers", models.JSONField(default=list, verbose_name="drivers")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("unchanged", "same as in force, nothing proposed"),
                            ("proposed", "proposed, awaiting a risk officer"),
                            ("auto_applied", "applied within pre-approved bounds"),
                            ("already_proposed", "an identical proposal is pending"),
                        ],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposal",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.parameterversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical market regime reading",
                "verbose_name_plural": "historical market regime readings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalStressScenario",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, verbose_name="code")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("historical", "historical replay"),
                            ("hypothetical", "hypothetical shock"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("params", models.JSONField(default=dict, verbose_name="parameters")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical stress scenario",
                "verbose_name_plural": "historical stress scenarios",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="LeverageBacktest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("package", models.CharField(max_length=40, verbose_name="package")),
                ("codes", models.JSONField(default=list, verbose_name="instruments")),
                ("start", models.DateField(verbose_name="from")),
                ("end", models.DateField(verbose_name="to")),
                (
                    "equity",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="own equity per account"
                    ),
                ),
                (
                    "financing_ratio",
                    models.DecimalField(
                        decimal_places=8, max_digits=12, verbose_name="financing ratio used"
                    ),
                ),
                ("terms", models.JSONField(default=dict, verbose_name="lines and ratio as used")),
                ("calls", models.PositiveIntegerField(default=0, verbose_name="margin calls")),
                (
                    "liquidations",
                    models.PositiveIntegerField(default=0, verbose_name="liquidations"),
                ),
                (
                    "loss",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="loss to the firm"
                    ),
                ),
                ("events", models.JSONField(default=list, verbose_name="events")),
                ("curve", models.JSONField(default=dict, verbose_name="daily ratio by account")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "run_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "leverage backtest",
                "verbose_name_plural": "leverage backtests",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="RegimeReading",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("as_of", models.DateField(unique=True, verbose_name="as of")),
                ("reference", models.CharField(max_length=6, verbose_name="reference instrument")),
                (
                    "regime",
                    models.CharField(
                        choices=[
                            ("normal", "normal"),
                            ("stressed", "stressed"),
                            ("crisis", "crisis"),
                        ],
                        max_length=10,
                        verbose_name="indicated regime",
                    ),
                ),
                (
                    "in_force",
                    models.CharField(
                        choices=[
                            ("normal", "normal"),
                            ("stressed", "stressed"),
                            ("crisis", "crisis"),
                        ],
                        max_length=10,
                        verbose_name="regime in force",
                    ),
                ),
                ("scores", models.JSONField(default=dict, verbose_name="scores")),
                ("drivers", models.JSONField(default=list, verbose_name="drivers")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("unchanged", "same as in force, nothing proposed"),
                            ("proposed", "proposed, awaiting a risk officer"),
                            ("auto_applied", "applied within pre-approved bounds"),
                            ("already_proposed", "an identical proposal is pending"),
                        ],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "proposal",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.parameterversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "market regime reading",
                "verbose_name_plural": "market regime readings",
                "ordering": ["-as_of"],
            },
        ),
        migrations.CreateModel(
            name="StressScenario",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("historical", "historical replay"),
                            ("hypothetical", "hypothetical shock"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("params", models.JSONField(default=dict, verbose_name="parameters")),
                ("active", models.BooleanField(default=True, verbose_name="active")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "stress scenario",
                "verbose_name_plural": "stress scenarios",
                "ordering": ["code"],
                "permissions": [("run_stressscenario", "Can run a stress test")],
            },
        ),
        migrations.CreateModel(
            name="StressRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("book_date", models.DateField(verbose_name="book as of")),
                (
                    "status",
                    models.CharField(
                        choices=[("done", "done"), ("failed", "failed")],
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("params_used", models.JSONField(default=dict, verbose_name="inputs as used")),
                ("accounts", models.PositiveIntegerField(default=0, verbose_name="accounts")),
                ("positions", models.PositiveIntegerField(default=0, verbose_name="positions")),
                ("days", models.PositiveSmallIntegerField(default=0, verbose_name="days")),
                (
                    "warning_accounts",
                    models.PositiveIntegerField(default=0, verbose_name="below warning line"),
                ),
                (
                    "liquidation_accounts",
                    models.PositiveIntegerField(default=0, verbose_name="below liquidation line"),
                ),
                (
                    "shortfall_accounts",
                    models.PositiveIntegerField(
                        default=0, verbose_name="accounts with a shortfall"
                    ),
                ),
                (
                    "total_debt",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="debt at start"
                    ),
                ),
                (
                    "sold_value",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=18,
                        verbose_name="sold by the liquidator",
                    ),
                ),
                (
                    "unsold_value",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=18,
                        verbose_name="wanted but could not be sold",
                    ),
                ),
                (
                    "total_shortfall",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="shortfall (穿仓)"
                    ),
                ),
                (
                    "duration_ms",
                    models.PositiveIntegerField(default=0, verbose_name="duration (ms)"),
                ),
                ("error", models.TextField(blank=True, verbose_name="error")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "run_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "scenario",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="runs",
                        to="risk.stressscenario",
                    ),
                ),
            ],
            options={
                "verbose_name": "stress run",
                "verbose_name_plural": "stress runs",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalStressRun",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("book_date", models.DateField(verbose_name="book as of")),
                (
                    "status",
                    models.CharField(
                        choices=[("done", "done"), ("failed", "failed")],
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("params_used", models.JSONField(default=dict, verbose_name="inputs as used")),
                ("accounts", models.PositiveIntegerField(default=0, verbose_name="accounts")),
                ("positions", models.PositiveIntegerField(default=0, verbose_name="positions")),
                ("days", models.PositiveSmallIntegerField(default=0, verbose_name="days")),
                (
                    "warning_accounts",
                    models.PositiveIntegerField(default=0, verbose_name="below warning line"),
                ),
                (
                    "liquidation_accounts",
                    models.PositiveIntegerField(default=0, verbose_name="below liquidation line"),
                ),
                (
                    "shortfall_accounts",
                    models.PositiveIntegerField(
                        default=0, verbose_name="accounts with a shortfall"
                    ),
                ),
                (
                    "total_debt",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="debt at start"
                    ),
                ),
                (
                    "sold_value",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=18,
                        verbose_name="sold by the liquidator",
                    ),
                ),
                (
                    "unsold_value",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=18,
                        verbose_name="wanted but could not be sold",
                    ),
                ),
                (
                    "total_shortfall",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=18, verbose_name="shortfall (穿仓)"
                    ),
                ),
                (
                    "duration_ms",
                    models.PositiveIntegerField(default=0, verbose_name="duration (ms)"),
                ),
                ("error", models.TextField(blank=True, verbose_name="error")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "run_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "scenario",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="risk.stressscenario",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical stress run",
                "verbose_name_plural": "historical stress runs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="LiquidityForecast",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("as_of", models.DateField(verbose_name="bars up to")),
                ("target_date", models.DateField(verbose_name="first day forecast")),
                ("horizon_days", models.PositiveSmallIntegerField(verbose_name="horizon (days)")),
                ("model", models.CharField(max_length=10, verbose_name="model")),
                (
                    "adv",
                    models.DecimalField(
                        decimal_places=0, max_digits=20, verbose_name="forecast ADV (shares)"
                    ),
                ),
                (
                    "lower",
                    models.DecimalField(
                        decimal_places=0, max_digits=20, verbose_name="lower bound"
                    ),
                ),
                (
                    "upper",
                    models.DecimalField(
                        decimal_places=0, max_digits=20, verbose_name="upper bound"
                    ),
                ),
                (
                    "coverage",
                    models.DecimalField(
                        decimal_places=8, max_digits=12, verbose_name="interval coverage"
                    ),
                ),
                (
                    "annual_volatility",
                    models.DecimalField(
                        decimal_places=8,
                        max_digits=12,
                        null=True,
                        verbose_name="annualised volatility",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "instrument",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="liquidity_forecasts",
                        to="markets.instrument",
                    ),
                ),
            ],
            options={
                "verbose_name": "liquidity forecast",
                "verbose_name_plural": "liquidity forecasts",
                "ordering": ["-as_of", "instrument"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("instrument", "as_of", "horizon_days", "model"),
                        name="one_forecast_per_instrument_day",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("lower__lte", models.F("adv")), ("adv__lte", models.F("upper"))
                        ),
                        name="forecast_inside_interval",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="StressRunAccount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rank", models.PositiveSmallIntegerField(verbose_name="rank")),
                (
                    "start_ratio",
                    models.DecimalField(
                        decimal_places=8, max_digits=12, null=True, verbose_name="ratio at start"
                    ),
                ),
                (
                    "worst_ratio",
                    models.DecimalField(
                        decimal_places=8, max_digits=12, null=True, verbose_name="worst ratio"
                    ),
                ),
                (
                    "first_liquidation_day",
                    models.PositiveSmallIntegerField(
                        null=True, verbose_name="liquidation from day"
                    ),
                ),
                (
                    "debt_end",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="debt at end"
                    ),
                ),
                (
                    "collateral_end",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="collateral at end"
                    ),
                ),
                (
                    "unsold_value",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="wanted but unsold"
                    ),
                ),
                (
                    "shortfall",
                    models.DecimalField(decimal_places=2, max_digits=18, verbose_name="shortfall"),
                ),
                (
                    "margin_account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="custody.marginaccount",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="account_rows",
                        to="risk.stressrun",
                    ),
                ),
            ],
            options={
                "verbose_name": "stress run account",
                "verbose_name_plural": "stress run accounts",
                "ordering": ["run", "rank"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("run", "rank"), name="one_account_per_stress_rank"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StressRunDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("index", models.PositiveSmallIntegerField(verbose_name="day")),
                ("date", models.DateField(blank=True, null=True, verbose_name="date")),
                (
                    "warning_accounts",
                    models.PositiveIntegerField(verbose_name="below warning line"),
                ),
                (
                    "liquidation_accounts",
                    models.PositiveIntegerField(verbose_name="below liquidation line"),
                ),
                (
                    "sold_value",
                    models.DecimalField(decimal_places=2, max_digits=18, verbose_name="sold"),
                ),
                (
                    "unsold_value",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="wanted but unsold"
                    ),
                ),
                (
                    "debt",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="debt at close"
                    ),
                ),
                (
                    "collateral",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="cash and securities at close"
                    ),
                ),
                (
                    "shortfall",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="shortfall at close"
                    ),
                ),
                (
                    "blocked",
                    models.JSONField(
                        default=list, verbose_name="instruments that could not be sold"
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="day_rows",
                        to="risk.stressrun",
                    ),
                ),
            ],
            options={
                "verbose_name": "stress run day",
                "verbose_name_plural": "stress run days",
                "ordering": ["run", "index"],
                "constraints": [
                    models.UniqueConstraint(fields=("run", "index"), name="one_row_per_stress_day")
                ],
            },
        ),
        migrations.RunPython(define_sets, migrations.RunPython.noop),
    ]
