from django.urls import path

from risk.api import views

urlpatterns = [
    path("liquidity/forecasts/", views.LiquidityForecastList.as_view(), name="forecasts"),
    path("liquidity/regime/", views.RegimeReadingList.as_view(), name="regime"),
    path("stress/scenarios/", views.StressScenarioList.as_view(), name="scenarios"),
    path("stress/runs/", views.StressRunList.as_view(), name="runs"),
    path("stress/runs/<int:pk>/", views.StressRunDetail.as_view(), name="run"),
]
