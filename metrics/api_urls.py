"""API endpoints of metrics, under /api/v1/t/<slug>/."""

from django.urls import path

from .api import MetricsViewSet

urlpatterns = [
    path(
        "metrics/summary/",
        MetricsViewSet.as_view({"get": "summary"}),
        name="api-metrics-summary",
    ),
    path(
        "metrics/timeseries/",
        MetricsViewSet.as_view({"get": "timeseries"}),
        name="api-metrics-timeseries",
    ),
    path(
        "metrics/breakdown/",
        MetricsViewSet.as_view({"get": "breakdown"}),
        name="api-metrics-breakdown",
    ),
]
