"""API endpoints of tickets, under /api/v1/t/<slug>/."""

urlpatterns: list = []
