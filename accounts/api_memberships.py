"""GET /api/v1/me/: the caller's memberships in every helpdesk (no tenant in the path)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Membership


class MyMembershipSerializer(serializers.Serializer):
    tenant = serializers.CharField(source="tenant.slug", help_text="The helpdesk's slug.")
    name = serializers.CharField(source="tenant.name", help_text="The helpdesk's name.")
    role = serializers.CharField(source="role.key")
    status = serializers.ChoiceField(choices=Membership.Status.choices)


class MyMembershipsView(APIView):
    """The caller's helpdesks (no tenant in the path): how a client learns their slugs."""

    @extend_schema(responses=MyMembershipSerializer(many=True))
    def get(self, request):
        memberships = Membership.objects.held_by(request.user)
        return Response(MyMembershipSerializer(memberships, many=True).data)
