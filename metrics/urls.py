"""Pages of metrics, under /t/<slug>/."""

from django.urls import path

from . import views

app_name = "metrics"

urlpatterns = [
    path("metrics/", views.dashboard, name="dashboard"),
    path("metrics/export.csv", views.export, name="export"),
    path("metrics/definitions/", views.definitions, name="definitions"),
    path("metrics/people/", views.people_directory, name="people"),
    path("metrics/people/<id:user_id>/", views.person, name="person"),
    path("metrics/me/", views.me, name="me"),
    path("metrics/subscriptions/", views.subscriptions, name="subscriptions"),
]
