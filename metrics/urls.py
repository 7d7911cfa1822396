"""Pages of metrics, under /t/<slug>/."""

app_name = "metrics"

urlpatterns: list = []
