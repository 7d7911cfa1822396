from django.urls import path

from . import api

urlpatterns = [
    path("users/", api.UserViewSet.as_view({"get": "list"}), name="api-users"),
    path(
        "users/<id:pk>/",
        api.UserViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-user",
    ),
    path("access/explain/", api.ExplainViewSet.as_view({"get": "list"}), name="api-explain"),
]
