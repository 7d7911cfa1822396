"""Pages of tickets, under /t/<slug>/."""

from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/new/", views.submit, name="submit"),
    path("tickets/<id:number>/", views.ticket_page, name="ticket"),
    path("tickets/<id:number>/rate/", views.rate, name="rate"),
    path("tickets/<id:number>/rate/<str:token>/", views.rate_by_link, name="rate_by_link"),
    path("tickets/<id:number>/presence/", views.ticket_presence, name="presence"),
    path("tickets/<id:number>/macros/<id:pk>/", views.macro_preview, name="macro_preview"),
    path("tickets/new/", views.open_on_behalf, name="open_on_behalf"),
    path("macros/", views.macros, name="macros"),
    path("macros/<id:pk>/", views.macro_edit, name="macro_edit"),
    path("macros/<id:pk>/delete/", views.macro_delete, name="macro_delete"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/bulk/", views.bulk, name="bulk"),
    path("workspace/views/", views.save_workspace_filter, name="save_filter"),
    path("workspace/views/<id:pk>/delete/", views.delete_workspace_filter, name="delete_filter"),
    path("history/people/<id:user_id>/", views.person_history, name="person_history"),
    path(
        "history/organizations/<id:org_id>/",
        views.organization_history,
        name="organization_history",
    ),
    path("queues/", views.queues, name="queues"),
    path("queues/<id:pk>/", views.queue_edit, name="queue_edit"),
    path("settings/notifications/", views.notification_settings, name="notifications"),
    path("settings/service-levels/", views.service_levels, name="service_levels"),
    path("settings/service-levels/calendars/<id:pk>/", views.calendar_edit, name="calendar_edit"),
    path(
        "settings/service-levels/calendars/<id:pk>/holidays/",
        views.calendar_holidays,
        name="calendar_holidays",
    ),
    path(
        "settings/service-levels/calendars/<id:pk>/delete/",
        views.calendar_delete,
        name="calendar_delete",
    ),
    path("settings/service-levels/policies/<id:pk>/", views.policy_edit, name="policy_edit"),
    path(
        "settings/service-levels/policies/<id:pk>/delete/",
        views.policy_delete,
        name="policy_delete",
    ),
]
