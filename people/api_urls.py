from django.urls import path

from . import api, api_data_requests

urlpatterns = [
    path("users/", api.UserViewSet.as_view({"get": "list"}), name="api-users"),
    path(
        "users/<id:pk>/",
        api.UserViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-user",
    ),
    path(
        "users/<id:pk>/export/",
        api_data_requests.PersonDataViewSet.as_view({"get": "export"}),
        name="api-user-export",
    ),
    path(
        "users/<id:pk>/erase/",
        api_data_requests.PersonDataViewSet.as_view({"post": "erase"}),
        name="api-user-erase",
    ),
    path(
        "data-requests/<id:pk>/",
        api_data_requests.DataRequestViewSet.as_view({"get": "retrieve"}),
        name="api-data-request",
    ),
    path(
        "data-requests/<id:pk>/download/",
        api_data_requests.DataRequestDownloadViewSet.as_view({"get": "download"}),
        name="api-data-request-download",
    ),
    path("access/explain/", api.ExplainViewSet.as_view({"get": "list"}), name="api-explain"),
]
