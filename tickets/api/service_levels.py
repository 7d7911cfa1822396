"""Service levels in the API of /work/shared/API.md: ``calendars/`` (business hours and
holidays) and ``sla-policies/`` (ordered; ``sla-policies/test/?ticket=`` is the dry run).
Admins only (``manage_service_levels``); every write goes through tickets.services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api.base import _bad_input
from accounts.viewsets import TenantScopedViewSet
from core.params import MAX_ID, MAX_INTEGER, object_id

from ..models import Calendar, SlaPolicy, Ticket
from ..services import (
    create_calendar,
    create_sla_policy,
    delete_calendar,
    delete_sla_policy,
    preview_service_levels,
    update_calendar,
    update_sla_policy,
)
from ..services.service_levels import MAX_TARGET_MINUTES


class HoursSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday")
    start = serializers.CharField(max_length=5, help_text="HH:MM")
    end = serializers.CharField(max_length=5, help_text="HH:MM, up to 24:00")


class CalendarSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=100)
    time_zone = serializers.CharField(max_length=64, required=False, default="UTC")
    hours = HoursSerializer(many=True, required=False, help_text="No hours: open 24/7.")
    holidays = serializers.ListField(child=serializers.DateField(), required=False)

    class Meta:
        model = Calendar
        fields = ["id", "name", "time_zone", "hours", "holidays"]
        read_only_fields = ["id"]

    def to_representation(self, instance):
        return {
            "id": instance.pk,
            "name": instance.name,
            "time_zone": instance.time_zone,
            "hours": list(instance.hours),
            "holidays": [str(day) for day in sorted(instance.holiday_dates())],
        }


class CalendarViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantScopedViewSet,
):
    """Business-hours calendars: weekly hours in a time zone, and holidays."""

    serializer_class = CalendarSerializer
    required_action = "manage_service_levels"
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Calendar.objects.none()
        return Calendar.objects.for_tenant(self.tenant).with_holidays()

    def perform_create(self, serializer):
        try:
            calendar = create_calendar(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)
        serializer.instance = self.get_queryset().get(pk=calendar.pk)

    def perform_update(self, serializer):
        try:
            calendar = update_calendar(
                calendar=serializer.instance, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)
        serializer.instance = self.get_queryset().get(pk=calendar.pk)

    def perform_destroy(self, instance):
        try:
            delete_calendar(calendar=instance, by=self.request.user)
        except DjangoValidationError as error:
            _bad_input(error)


class CalendarField(serializers.PrimaryKeyRelatedField):
    """A calendar of the request's tenant only (another tenant's id is not one)."""

    def get_queryset(self):
        tenant = self.context.get("tenant")
        return Calendar.objects.for_tenant(tenant) if tenant else Calendar.objects.none()


class ConditionsSerializer(serializers.Serializer):
    priority = serializers.ListField(
        child=serializers.ChoiceField(choices=Ticket.Priority.choices), required=False
    )
    queue = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    organization = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    channel = serializers.ListField(
        child=serializers.ChoiceField(choices=Ticket.Channel.choices), required=False
    )
    role = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        required=False,
        help_text="The requester's role keys.",
    )

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        if unknown:
            raise ValidationError(_("Unknown conditions: %(keys)s") % {"keys": ", ".join(unknown)})
        return super().to_internal_value(data)


def _minutes_field():
    return serializers.IntegerField(
        min_value=1, max_value=MAX_TARGET_MINUTES, allow_null=True, required=False
    )


class SlaPolicySerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=100)
    position = serializers.IntegerField(min_value=0, max_value=MAX_INTEGER, required=False)
    calendar = CalendarField(queryset=Calendar.objects.none())
    conditions = ConditionsSerializer(required=False)
    first_response_minutes = _minutes_field()
    next_response_minutes = _minutes_field()
    resolution_minutes = _minutes_field()
    pause_when_pending = serializers.BooleanField(required=False, default=True)
    warn_minutes_before = serializers.IntegerField(
        min_value=0,
        max_value=10_080,
        required=False,
        default=30,
        help_text="Minutes before a due time that the ticket's agents are warned (0: never).",
    )

    class Meta:
        model = SlaPolicy
        fields = [
            "id",
            "name",
            "position",
            "calendar",
            "conditions",
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
            "pause_when_pending",
            "warn_minutes_before",
        ]
        read_only_fields = ["id"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["conditions"] = {key: [] for key in SlaPolicy.CONDITIONS} | dict(
            instance.conditions or {}
        )
        return data


class DryRunOutput(serializers.Serializer):
    ticket = serializers.IntegerField()
    policy = serializers.IntegerField(allow_null=True)
    policy_name = serializers.CharField(allow_null=True)
    first_response_due_at = serializers.DateTimeField(allow_null=True)
    next_response_due_at = serializers.DateTimeField(allow_null=True)
    resolution_due_at = serializers.DateTimeField(allow_null=True)
    paused_since = serializers.DateTimeField(allow_null=True)


class SlaPolicyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantScopedViewSet,
):
    """Ordered SLA policies: the first whose conditions all match a ticket applies."""

    serializer_class = SlaPolicySerializer
    required_action = "manage_service_levels"
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SlaPolicy.objects.none()
        return SlaPolicy.objects.for_tenant(self.tenant).in_order()

    def perform_create(self, serializer):
        try:
            serializer.instance = create_sla_policy(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)

    def perform_update(self, serializer):
        try:
            serializer.instance = update_sla_policy(
                policy=serializer.instance, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)

    def perform_destroy(self, instance):
        delete_sla_policy(policy=instance, by=self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("ticket", int, required=True, description="a ticket id")],
        responses={200: DryRunOutput},
    )
    @action(detail=False, methods=["get"])
    def test(self, request, *args, **kwargs):
        """The dry run: which policy the ticket would get now, and its due times."""
        ticket_id = object_id(request.query_params.get("ticket"))
        if ticket_id is None:
            raise ValidationError({"ticket": [_("Give the id of a ticket to test.")]})
        ticket = Ticket.objects.for_tenant(self.tenant).filter(pk=ticket_id).first()
        if ticket is None:
            raise ValidationError({"ticket": [_("There is no such ticket in this helpdesk.")]})
        preview = preview_service_levels(ticket=ticket)
        policy = preview["policy"]
        answer = {
            "ticket": ticket.pk,
            "policy": policy.id if policy else None,
            "policy_name": policy.name if policy else None,
            **{key: value for key, value in preview.items() if key != "policy"},
        }
        return Response(DryRunOutput(answer).data)
