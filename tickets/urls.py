"""Pages of tickets, under /t/<slug>/."""

from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("workspace/", views.workspace, name="workspace"),
    path("portal/", views.portal, name="portal"),
]
