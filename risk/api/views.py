"""Read-only API for liquidity forecasts, the regime indicator and stress results (staff only).

Partner access (its own authentication and scoping) is added by the partner API; until then
every endpoint requires a staff user.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import IsAdminUser

from risk.api.serializers import (
    LiquidityForecastSerializer,
    RegimeReadingSerializer,
    StressRunDetailSerializer,
    StressRunSerializer,
    StressScenarioSerializer,
)
from risk.stress.models import LiquidityForecast, RegimeReading, StressRun, StressScenario


@extend_schema_view(
    get=extend_schema(
        operation_id="risk_liquidity_forecasts",
        summary="Forecast average daily volume with its interval",
        parameters=[
            OpenApiParameter("instrument", str, description="Six-digit code."),
            OpenApiParameter("as_of", str, description="Bars up to this day (YYYY-MM-DD)."),
        ],
    )
)
class LiquidityForecastList(generics.ListAPIView[LiquidityForecast]):
    permission_classes = [IsAdminUser]
    serializer_class = LiquidityForecastSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[LiquidityForecast]:
        rows = LiquidityForecast.objects.select_related("instrument").order_by(
            "-as_of", "instrument__code"
        )
        code = self.request.query_params.get("instrument")
        as_of = self.request.query_params.get("as_of")
        if code:
            rows = rows.filter(instrument__code=code)
        if as_of:
            rows = rows.filter(as_of=as_of)
        return rows


@extend_schema_view(
    get=extend_schema(operation_id="risk_regime", summary="Market regime readings, newest first")
)
class RegimeReadingList(generics.ListAPIView[RegimeReading]):
    permission_classes = [IsAdminUser]
    serializer_class = RegimeReadingSerializer
    queryset = RegimeReading.objects.select_related("proposal").order_by("-as_of")
    filter_backends: list[Any] = []


@extend_schema_view(
    get=extend_schema(operation_id="risk_stress_scenarios", summary="Stress scenarios")
)
class StressScenarioList(generics.ListAPIView[StressScenario]):
    permission_classes = [IsAdminUser]
    serializer_class = StressScenarioSerializer
    queryset = StressScenario.objects.order_by("code")
    filter_backends: list[Any] = []


@extend_schema_view(
    get=extend_schema(operation_id="risk_stress_runs", summary="Stress runs, newest first")
)
class StressRunList(generics.ListAPIView[StressRun]):
    permission_classes = [IsAdminUser]
    serializer_class = StressRunSerializer
    queryset = StressRun.objects.select_related("scenario").order_by("-created_at", "-pk")
    filter_backends: list[Any] = []


@extend_schema_view(
    get=extend_schema(
        operation_id="risk_stress_run",
        summary="One stress run: per-day aggregates and the worst accounts",
    )
)
class StressRunDetail(generics.RetrieveAPIView[StressRun]):
    permission_classes = [IsAdminUser]
    serializer_class = StressRunDetailSerializer
    queryset = StressRun.objects.select_related("scenario").prefetch_related(
        "day_rows", "account_rows__margin_account"
    )
