"""Role templates. (Why a member may or may not do an action, which looks tickets and queues
up, is people.api.)"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers

from accounts.viewsets import TenantScopedViewSet

from ..actions import ACTIONS, SCOPES
from ..models import Role
from ..services import create_role
from .base import _bad_input

# Roles --------------------------------------------------------------------------------------


class RoleSerializer(serializers.ModelSerializer):
    key = serializers.SlugField(max_length=40, required=False)
    permissions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(ACTIONS)), allow_empty=True
    )
    scope = serializers.ChoiceField(choices=SCOPES)
    members = serializers.IntegerField(read_only=True, source="n_members")

    class Meta:
        model = Role
        fields = [
            "id",
            "key",
            "name",
            "description",
            "permissions",
            "scope",
            "is_builtin",
            "members",
        ]
        read_only_fields = ["is_builtin"]


class RoleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantScopedViewSet
):
    """Role templates: what each role may do, in plain words. Admins add custom roles."""

    serializer_class = RoleSerializer
    action_permissions = {"create": "change_role"}

    def get_queryset(self):
        from django.db.models import Count

        if getattr(self, "swagger_fake_view", False):
            return Role.objects.none()
        return (
            Role.objects.for_tenant(self.tenant)
            .annotate(n_members=Count("memberships"))
            .order_by("pk")
        )

    def perform_create(self, serializer):
        try:
            role = create_role(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)
        serializer.instance = self.get_queryset().get(pk=role.pk)
