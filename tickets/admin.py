from django.contrib import admin

from .models import (
    Attachment,
    Comment,
    NotificationTemplate,
    Queue,
    QueueGrant,
    Rating,
    SavedFilter,
    Ticket,
    TicketEvent,
)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "tenant", "subject", "status", "priority", "queue", "created_at"]
    list_filter = ["tenant", "status", "priority"]
    search_fields = ["subject"]
    raw_id_fields = ["requester", "assignee", "organization", "queue"]


admin.site.register(
    [Queue, QueueGrant, Comment, TicketEvent, Rating, Attachment, SavedFilter, NotificationTemplate]
)
