from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.MeViewSet.as_view({"get": "list"}), name="api-me"),
]
