"""The caller: who they are here. (The directory, which counts tickets, is people.api.)"""

from rest_framework import serializers
from rest_framework.response import Response

from accounts.viewsets import TenantScopedViewSet

from ..access import Decision, permissions_of
from ..models import Membership


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")
    role = serializers.CharField(source="role.key")
    status = serializers.CharField()
    tenant = serializers.CharField(source="tenant.slug")
    permissions = serializers.SerializerMethodField()

    def get_permissions(self, membership) -> list[str]:
        return permissions_of(membership)


class MeViewSet(TenantScopedViewSet):
    """The caller: who they are here, their role and what they may do."""

    serializer_class = MeSerializer

    def get_queryset(self):  # only for the schema generator: the caller is self.membership
        return Membership.objects.none()

    def _active_member(self):
        return Decision(True)  # pending members may still ask who they are

    # "retrieve", not "list": one object, so the schema does not call it a paginated list.
    def retrieve(self, request, *args, **kwargs):
        return Response(MeSerializer(self.membership).data)
