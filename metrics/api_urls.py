"""API endpoints of metrics, under /api/v1/t/<slug>/."""

urlpatterns: list = []
