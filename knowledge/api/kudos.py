"""Kudos in the API: the good ratings an agent earned, and thank-you notes."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError

from accounts.access import ensure
from accounts.models import Membership
from accounts.viewsets import TenantScopedViewSet
from tickets.models import Rating

from .. import services
from ..models import (
    ThankYouNote,
    kudos_ratings,
)
from ..services import KnowledgeError


class KudosSerializer(serializers.ModelSerializer):
    ticket = serializers.IntegerField(source="ticket.number", read_only=True)

    class Meta:
        model = Rating
        fields = ["id", "score", "comment", "ticket", "updated_at"]
        read_only_fields = fields


class KudosViewSet(mixins.ListModelMixin, TenantScopedViewSet):
    """Good ratings with a comment that the caller earned."""

    serializer_class = KudosSerializer
    required_action = "view_kudos"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Rating.objects.none()
        return (
            kudos_ratings(self.tenant)
            .filter(agent_id=self.membership.user_id)
            .select_related("ticket")
            .order_by("-updated_at")
        )


class ThankYouNoteSerializer(serializers.ModelSerializer):
    agent = serializers.IntegerField(write_only=True, help_text="Membership id of the agent.")
    to = serializers.CharField(source="to_user.get_full_name", read_only=True)
    sender = serializers.CharField(source="from_user.get_full_name", default=None, read_only=True)

    class Meta:
        model = ThankYouNote
        fields = ["id", "agent", "to", "sender", "message", "created_at"]
        read_only_fields = ["id", "to", "sender", "created_at"]


class ThankYouNoteViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, TenantScopedViewSet):
    """Thank-you notes to the caller; supervisors send them to agents."""

    serializer_class = ThankYouNoteSerializer
    action_permissions = {"list": "view_kudos", "create": "thank_agents"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ThankYouNote.objects.none()
        return (
            ThankYouNote.objects.for_tenant(self.tenant)
            .for_agent(self.membership.user)
            .select_related("to_user")
        )

    def perform_create(self, serializer):
        ensure(self.membership, "thank_agents")
        agent = get_object_or_404(
            Membership.objects.for_tenant(self.tenant).active().select_related("user"),
            pk=serializer.validated_data["agent"],
        )
        try:
            serializer.instance = services.thank_agent(
                by=self.membership,
                agent=agent,
                message=serializer.validated_data["message"],
            )
        except KnowledgeError as error:
            raise ValidationError({"agent": [str(error)]}) from error
