"""The metrics API: summary (the published contract), timeseries and breakdown."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from accounts.access import Decision, Refused, can, decide
from accounts.models import Membership
from accounts.viewsets import TenantScopedViewSet
from core.params import MAX_ID
from tickets.models import Queue, Ticket

from .models import CHANNEL_REF, Dimension
from .queries import freshness, headline, named_breakdown, timeseries

MAX_DAYS = 3660


class PeriodInput(serializers.Serializer):
    """?from=&to= (dates, inclusive, in the tenant's time zone) and optionally one slice."""

    to = serializers.DateField()
    queue = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    agent = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    channel = serializers.ChoiceField(choices=Ticket.Channel.choices, required=False)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declared here so the query parameter keeps its name.
        return {"from": serializers.DateField(), **fields}

    def validate(self, attrs):
        tenant = self.context["tenant"]
        start, end = attrs["from"], attrs["to"]
        if start > end:
            raise serializers.ValidationError({"to": [_("“to” must not be before “from”.")]})
        if (end - start).days >= MAX_DAYS:
            raise serializers.ValidationError({"to": [_("A period is at most ten years.")]})
        if "queue" in attrs and "agent" in attrs:
            raise serializers.ValidationError(
                {"queue": [_("Choose a queue or an agent, not both.")]}
            )
        # Figures are kept per slice, one slice at a time: a channel within a queue is not.
        if "channel" in attrs and ("queue" in attrs or "agent" in attrs):
            raise serializers.ValidationError(
                {"channel": [_("Choose a channel, or a queue or an agent, not both.")]}
            )
        if (
            "queue" in attrs
            and not Queue.objects.for_tenant(tenant).filter(pk=attrs["queue"]).exists()
        ):
            raise serializers.ValidationError({"queue": [_("There is no such queue here.")]})
        if (
            "agent" in attrs
            and not Membership.objects.for_tenant(tenant).filter(user_id=attrs["agent"]).exists()
        ):
            raise serializers.ValidationError({"agent": [_("There is no such person here.")]})
        return attrs


class BreakdownInput(PeriodInput):
    by = serializers.ChoiceField(
        choices=[
            Dimension.QUEUE,
            Dimension.AGENT,
            Dimension.ORGANIZATION,
            Dimension.CHANNEL,
            Dimension.POLICY,
        ],
        default=Dimension.QUEUE,
    )


class FiguresSerializer(serializers.Serializer):
    tickets_created = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    first_response_seconds_mean = serializers.FloatField(allow_null=True)
    resolution_seconds_mean = serializers.FloatField(allow_null=True)
    resolution_seconds_median = serializers.FloatField(allow_null=True)
    resolution_seconds_p90 = serializers.FloatField(allow_null=True)
    solved_count = serializers.IntegerField()
    solved_in_period = serializers.IntegerField()
    reopened_count = serializers.IntegerField()
    backlog = serializers.IntegerField()
    ratings_count = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True)
    first_response_sla_met = serializers.FloatField(allow_null=True)
    resolution_sla_met = serializers.FloatField(allow_null=True)
    first_response_sla_breached = serializers.IntegerField()
    resolution_sla_breached = serializers.IntegerField()
    first_response_business_seconds_mean = serializers.FloatField(allow_null=True)
    resolution_business_seconds_mean = serializers.FloatField(allow_null=True)


class SummarySerializer(FiguresSerializer):
    computed_at = serializers.DateTimeField(allow_null=True)

    def get_fields(self):
        return {
            "from": serializers.DateField(),
            "to": serializers.DateField(),
            **super().get_fields(),
        }


class PointSerializer(serializers.Serializer):
    day = serializers.DateField()
    tickets_created = serializers.IntegerField()
    solved = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    resolution_seconds_mean = serializers.FloatField(allow_null=True)
    resolution_seconds_median = serializers.FloatField(allow_null=True)
    reopened = serializers.IntegerField()
    backlog = serializers.IntegerField()
    ratings_count = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True)
    first_response_sla_met = serializers.FloatField(allow_null=True)
    resolution_sla_met = serializers.FloatField(allow_null=True)
    resolution_business_seconds_mean = serializers.FloatField(allow_null=True)


class TimeseriesSerializer(serializers.Serializer):
    points = PointSerializer(many=True)
    computed_at = serializers.DateTimeField(allow_null=True)


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string", "enum": list(CHANNEL_REF)}],
        "nullable": True,
    }
)
class SliceIdField(serializers.Field):
    """A queue's, agent's, organization's or SLA policy's id, or a channel's key ("email")."""

    def to_representation(self, value):
        return value


class BreakdownRowSerializer(FiguresSerializer):
    id = SliceIdField(allow_null=True)
    name = serializers.CharField()


class BreakdownSerializer(serializers.Serializer):
    by = serializers.CharField()
    results = BreakdownRowSerializer(many=True)
    computed_at = serializers.DateTimeField(allow_null=True)


class MetricsViewSet(TenantScopedViewSet):
    """Supervisors and admins see every figure; an agent only their own (agent=<their id>)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not (can(self.membership, "view_metrics") or can(self.membership, "view_own_metrics")):
            raise Refused(decide(self.membership, "view_metrics"))

    def _period(self, input_class=PeriodInput) -> dict:
        payload = input_class(data=self.request.query_params, context={"tenant": self.tenant})
        payload.is_valid(raise_exception=True)
        period = dict(payload.validated_data)
        if not can(self.membership, "view_metrics"):
            own = self.membership.user_id
            if period.get("agent", own) != own or "queue" in period or "channel" in period:
                raise Refused(Decision(False, [_("You may only see your own figures.")]))
            period["agent"] = own
        return period

    @staticmethod
    def _slice(period) -> tuple[str, int]:
        if "queue" in period:
            return Dimension.QUEUE, period["queue"]
        if "agent" in period:
            return Dimension.AGENT, period["agent"]
        if "channel" in period:
            return Dimension.CHANNEL, CHANNEL_REF[period["channel"]]
        return Dimension.TENANT, 0

    def _computed_at(self):
        state = freshness(self.tenant)
        return state.computed_at if state else None

    @extend_schema(parameters=[PeriodInput], responses=SummarySerializer)
    def summary(self, request, *args, **kwargs):
        period = self._period()
        dimension, ref = self._slice(period)
        figures = headline(self.tenant, period["from"], period["to"], dimension, ref)
        data = {"from": period["from"], "to": period["to"], **figures}
        data["computed_at"] = self._computed_at()
        return Response(SummarySerializer(data).data)

    @extend_schema(parameters=[PeriodInput], responses=TimeseriesSerializer)
    def timeseries(self, request, *args, **kwargs):
        period = self._period()
        dimension, ref = self._slice(period)
        points = timeseries(self.tenant, period["from"], period["to"], dimension, ref)
        data = {"points": points, "computed_at": self._computed_at()}
        return Response(TimeseriesSerializer(data).data)

    @extend_schema(parameters=[BreakdownInput], responses=BreakdownSerializer)
    def breakdown(self, request, *args, **kwargs):
        if not can(self.membership, "view_metrics"):
            raise Refused(decide(self.membership, "view_metrics"))
        period = self._period(BreakdownInput)
        rows = named_breakdown(self.tenant, period["from"], period["to"], period["by"])
        data = {"by": period["by"], "results": rows, "computed_at": self._computed_at()}
        return Response(BreakdownSerializer(data).data)
