"""The notifications API, under /api/v1/t/<slug>/notifications/: a member's own only.

- ``GET notifications/``: newest first, paginated; ``?unread=1`` for the unread ones.
- ``POST notifications/<id>/read/``: marks one read, answers it.
- ``POST notifications/read-all/``: marks every one read, answers ``{"marked": n}``.
Another person's or another helpdesk's notification is a 404.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.viewsets import TenantScopedViewSet

from .models import Notification
from .services import mark_all_read, mark_read


class NotificationSerializer(serializers.ModelSerializer):
    ticket = serializers.IntegerField(source="ticket.number", read_only=True)
    ticket_subject = serializers.CharField(source="ticket.subject", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "ticket", "ticket_subject", "note", "created_at", "read_at"]
        read_only_fields = fields


MARKED = inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})


class NotificationViewSet(mixins.ListModelMixin, TenantScopedViewSet):
    serializer_class = NotificationSerializer
    lookup_value_converter = "id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no member
            return Notification.objects.none()
        notifications = Notification.objects.visible_to(self.membership).select_related("ticket")
        if self.action == "list" and self.request.query_params.get("unread") in ("1", "true"):
            notifications = notifications.unread()
        return notifications.newest_first()

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, required=False)],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        notification = mark_read(notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: MARKED})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request, *args, **kwargs):
        return Response({"marked": mark_all_read(member=self.membership)})
