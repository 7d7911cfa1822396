from django.urls import path

from . import views

app_name = "mailroom"

urlpatterns = [
    path("settings/mailboxes/", views.mailboxes, name="mailboxes"),
    path("settings/mailboxes/new/", views.mailbox_new, name="mailbox_new"),
    path("settings/mailboxes/<id:pk>/", views.mailbox_edit, name="mailbox_edit"),
    path("settings/mailboxes/<id:pk>/delete/", views.mailbox_delete, name="mailbox_delete"),
    path("settings/inbound-mail/", views.inbound_list, name="inbound_list"),
    path("settings/inbound-mail/<id:pk>/", views.inbound_detail, name="inbound_detail"),
    path("settings/inbound-mail/<id:pk>/retry/", views.inbound_retry, name="inbound_retry"),
    path("settings/inbound-mail/<id:pk>/discard/", views.inbound_discard, name="inbound_discard"),
]
