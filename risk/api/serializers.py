"""Read-only representations of the liquidity outputs and the stress results."""

from rest_framework import serializers

from risk.stress.models import (
    LiquidityForecast,
    RegimeReading,
    StressRun,
    StressRunAccount,
    StressRunDay,
    StressScenario,
)


class LiquidityForecastSerializer(serializers.ModelSerializer[LiquidityForecast]):
    instrument = serializers.CharField(source="instrument.code", help_text="Six-digit code.")

    class Meta:
        model = LiquidityForecast
        fields = [
            "instrument",
            "as_of",
            "target_date",
            "horizon_days",
            "model",
            "adv",
            "lower",
            "upper",
            "coverage",
            "annual_volatility",
        ]


class RegimeReadingSerializer(serializers.ModelSerializer[RegimeReading]):
    proposal_status = serializers.CharField(source="proposal.status", default=None)

    class Meta:
        model = RegimeReading
        fields = [
            "as_of",
            "reference",
            "regime",
            "in_force",
            "scores",
            "drivers",
            "action",
            "proposal_status",
        ]


class StressScenarioSerializer(serializers.ModelSerializer[StressScenario]):
    class Meta:
        model = StressScenario
        fields = ["code", "name", "kind", "description", "params", "active"]


class StressRunDaySerializer(serializers.ModelSerializer[StressRunDay]):
    class Meta:
        model = StressRunDay
        fields = [
            "index",
            "date",
            "warning_accounts",
            "liquidation_accounts",
            "sold_value",
            "unsold_value",
            "debt",
            "collateral",
            "shortfall",
            "blocked",
        ]


class StressRunAccountSerializer(serializers.ModelSerializer[StressRunAccount]):
    account_no = serializers.CharField(source="margin_account.account_no")

    class Meta:
        model = StressRunAccount
        fields = [
            "rank",
            "account_no",
            "start_ratio",
            "worst_ratio",
            "first_liquidation_day",
            "debt_end",
            "collateral_end",
            "unsold_value",
            "shortfall",
        ]


class StressRunSerializer(serializers.ModelSerializer[StressRun]):
    scenario = serializers.CharField(source="scenario.code")

    class Meta:
        model = StressRun
        fields = [
            "id",
            "scenario",
            "book_date",
            "status",
            "accounts",
            "positions",
            "days",
            "warning_accounts",
            "liquidation_accounts",
            "shortfall_accounts",
            "total_debt",
            "sold_value",
            "unsold_value",
            "total_shortfall",
            "duration_ms",
            "created_at",
        ]


class StressRunDetailSerializer(StressRunSerializer):
    day_rows = StressRunDaySerializer(many=True, read_only=True)
    account_rows = StressRunAccountSerializer(many=True, read_only=True)
    params_used = serializers.JSONField()

    class Meta(StressRunSerializer.Meta):
        fields = [*StressRunSerializer.Meta.fields, "params_used", "day_rows", "account_rows"]
