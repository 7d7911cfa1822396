"""Announcements in the API, and who has read them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.access import can
from accounts.models import Role
from accounts.viewsets import TenantScopedViewSet

from .. import services
from ..models import (
    Announcement,
    AnnouncementRead,
)


class AnnouncementSerializer(serializers.ModelSerializer):
    roles = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    author = serializers.CharField(source="author.get_full_name", default=None, read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Announcement
        fields = [
            "id",
            "title",
            "body",
            "audience",
            "roles",
            "send_email",
            "author",
            "published_at",
            "is_read",
        ]
        read_only_fields = fields


class AnnouncementInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20_000)
    audience = serializers.ChoiceField(choices=Announcement.Audience.choices)
    roles = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    send_email = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        keys = set(data.get("roles", []))
        roles = list(Role.objects.for_tenant(self.context["tenant"]).filter(key__in=keys))
        if len(roles) != len(keys):
            raise ValidationError({"roles": [_("Unknown role.")]})
        if data["audience"] == Announcement.Audience.ROLES and not roles:
            raise ValidationError(
                {"roles": [_("Choose at least one role, or send it to everyone.")]}
            )
        data["roles"] = roles
        return data


class ReaderSerializer(serializers.Serializer):
    membership = serializers.IntegerField()
    name = serializers.CharField()
    read_at = serializers.DateTimeField(allow_null=True)


class AnnouncementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Announcements for the caller (publishers see all of them), and who has read them."""

    lookup_value_converter = "id"
    serializer_class = AnnouncementSerializer
    action_permissions = {
        "create": "publish_announcements",
        "readers": "publish_announcements",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Announcement.objects.none()
        if can(self.membership, "publish_announcements") and self.action != "read":
            announcements = Announcement.objects.for_tenant(self.tenant)
        else:
            announcements = Announcement.objects.visible_to(self.membership)
        return announcements.with_read_state(self.membership).prefetch_related("roles")

    @extend_schema(request=AnnouncementInput, responses={201: AnnouncementSerializer})
    def create(self, request, *args, **kwargs):
        payload = AnnouncementInput(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        announcement = services.publish_announcement(
            tenant=self.tenant, by=request.user, **payload.validated_data
        )
        announcement = self.get_queryset().get(pk=announcement.pk)
        return Response(AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AnnouncementSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        """Mark the announcement as read (its banner goes away)."""
        announcement = self.get_object()
        services.mark_announcement_read(announcement=announcement, membership=self.membership)
        return Response(AnnouncementSerializer(self.get_queryset().get(pk=announcement.pk)).data)

    @extend_schema(responses=ReaderSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def readers(self, request, *args, **kwargs):
        """Everyone the announcement is for, and when they read it."""
        announcement = self.get_object()
        announcement.tenant = self.tenant  # found in it: the recipients need not read it again
        reads = dict(
            AnnouncementRead.objects.for_tenant(self.tenant)
            .filter(announcement=announcement)
            .values_list("membership_id", "read_at")
        )
        rows = [
            {
                "membership": m.pk,
                "name": m.user.get_full_name(),
                "read_at": reads.get(m.pk),
            }
            for m in services.announcement_recipients(announcement)
        ]
        return Response(ReaderSerializer(rows, many=True).data)
