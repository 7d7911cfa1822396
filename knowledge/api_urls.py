"""API endpoints of knowledge, under /api/v1/t/<slug>/."""

urlpatterns: list = []
