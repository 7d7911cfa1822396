"""The caller (who they are here) and the tenant's people directory."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from helpdesk.api import TenantScopedViewSet

from ..access import Decision, Refused, ensure, permissions_of
from ..directory import directory
from ..models import Membership
from ..services import NotPermitted, change_membership
from .base import OrganizationField, RoleKeyField


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


# Directory ----------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    role = RoleKeyField(required=False)
    organization = OrganizationField(allow_null=True, required=False)
    is_active = serializers.BooleanField(required=False)
    tickets_requested = serializers.IntegerField(read_only=True)
    tickets_handled = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending, active or deactivated")

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "name",
            "role",
            "organization",
            "is_active",
            "status",
            "joined_at",
            "last_seen_at",
            "tickets_requested",
            "tickets_handled",
        ]
        read_only_fields = ["status", "joined_at", "last_seen_at"]


class UserViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, TenantScopedViewSet
):
    """The tenant's people (by user id). Changes are admin-only and audited."""

    serializer_class = PersonSerializer
    action_permissions = {
        "list": "view_people",
        "retrieve": "view_people",
        "partial_update": "manage_people",
    }
    http_method_names = ["get", "patch", "head", "options"]
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        params = self.request.query_params
        return directory(
            self.tenant,
            q=params.get("q", "").strip(),
            role=params.get("role", ""),
            status=params.get("status", ""),
            organization=params.get("organization", ""),
            sort=params.get("sort", "name"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("role", str),
            OpenApiParameter("status", str),
            OpenApiParameter("organization", str),
            OpenApiParameter("sort", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = serializer.validated_data
        changes = {}
        if "role" in data:
            # Changing a role is its own permission: a supervisor posting role=admin is refused.
            ensure(self.membership, "change_role")
            changes["role"] = data["role"]
        if "organization" in data:
            changes["organization"] = data["organization"]
        if "is_active" in data:
            changes["status"] = (
                Membership.Status.ACTIVE if data["is_active"] else Membership.Status.DEACTIVATED
            )
        try:
            change_membership(membership=serializer.instance, by=self.request.user, **changes)
        except NotPermitted as refusal:
            raise Refused(Decision(False, refusal.reasons)) from None
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)
