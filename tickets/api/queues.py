"""The queue API of /work/shared/API.md, under /api/v1/t/<slug>/queues/."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError

from accounts.access import can
from accounts.viewsets import TenantScopedViewSet
from core.params import MAX_ID

from ..forms import staff_users
from ..models import Queue, QueueGrant
from ..services import create_queue, update_queue


class QueueSerializer(serializers.ModelSerializer):
    agents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    name = serializers.CharField(max_length=80)

    class Meta:
        model = Queue
        fields = ["id", "name", "description", "is_public", "assignment", "agents"]
        read_only_fields = ["id"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        member = self.context.get("membership")
        # Who works a queue is staff business; customers see the queue only.
        data["agents"] = (
            sorted(g.user_id for g in instance.grants.all())
            if can(member, "view_all_queues")
            else []
        )
        return data

    def validate_name(self, value):
        value = value.strip()
        if not value:
            raise ValidationError(_("A queue needs a name."))
        taken = Queue.objects.for_tenant(self.context["tenant"]).filter(name__iexact=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("There is already a queue with this name."))
        return value

    def validate_agents(self, value):
        users = {u.pk: u for u in staff_users(self.context["tenant"]).filter(pk__in=value)}
        unknown = sorted(set(value) - set(users))
        if unknown:
            raise ValidationError(
                _("These are not staff of this helpdesk: %(ids)s")
                % {"ids": ", ".join(map(str, unknown))}
            )
        return [users[pk] for pk in dict.fromkeys(value)]


class QueueViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantScopedViewSet,
):
    """Queues: every member lists them (customers the portal's); managers create and edit."""

    serializer_class = QueueSerializer
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "create": "manage_queues",
        "partial_update": "manage_queues",
        "update": "manage_queues",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Queue.objects.none()
        return Queue.objects.visible_to(self.membership).prefetch_related(
            Prefetch("grants", queryset=QueueGrant.objects.only("queue_id", "user_id"))
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        with transaction.atomic():
            queue = create_queue(
                tenant=self.tenant,
                name=data["name"],
                description=data.get("description", ""),
                is_public=data.get("is_public", True),
                assignment=data.get("assignment", Queue.Assignment.MANUAL),
                by=self.request.user,
            )
            if "agents" in data:
                update_queue(queue=queue, agents=data["agents"], by=self.request.user)
        serializer.instance = self.get_queryset().get(pk=queue.pk)

    def perform_update(self, serializer):
        data = serializer.validated_data
        queue = update_queue(
            queue=serializer.instance,
            by=self.request.user,
            name=data.get("name"),
            description=data.get("description"),
            is_public=data.get("is_public"),
            assignment=data.get("assignment"),
            agents=data.get("agents"),
        )
        serializer.instance = self.get_queryset().get(pk=queue.pk)
