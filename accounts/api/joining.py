"""Joining rules (the first that matches an address decides) and approvals of sign-ups."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.viewsets import TenantScopedViewSet
from core.params import MAX_INTEGER

from ..access import Decision, Refused
from ..models import JoiningRule, Membership
from ..services import (
    NotPermitted,
    add_joining_rule,
    approve_registration,
    change_joining_rule,
    delete_joining_rule,
    joining_outcome,
    reject_registration,
    split_groups,
)
from .base import OrganizationField, RoleKeyField, _bad_input, _refuse

# Joining rules ------------------------------------------------------------------------------


class JoiningRuleSerializer(serializers.ModelSerializer):
    role = RoleKeyField()
    organization = OrganizationField(allow_null=True, required=False)
    position = serializers.IntegerField(min_value=0, max_value=MAX_INTEGER, required=False)
    expires_after_days = serializers.IntegerField(
        min_value=1, max_value=36500, allow_null=True, required=False
    )

    class Meta:
        model = JoiningRule
        fields = [
            "id",
            "kind",
            "pattern",
            "role",
            "organization",
            "group",
            "requires_approval",
            "position",
            "effect",
            "expires_after_days",
        ]


class JoiningTestOutput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["active", "pending", "refused"])
    rule = serializers.IntegerField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class JoiningRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantScopedViewSet,
):
    """A tenant's ordered joining rules: the first that matches an address decides."""

    serializer_class = JoiningRuleSerializer
    required_action = "manage_joining_rules"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JoiningRule.objects.none()
        return JoiningRule.objects.for_tenant(self.tenant).in_order()

    def perform_create(self, serializer):
        try:
            serializer.instance = add_joining_rule(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)

    def perform_update(self, serializer):
        try:
            serializer.instance = change_joining_rule(
                rule=serializer.instance, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)

    def perform_destroy(self, instance):
        delete_joining_rule(rule=instance, by=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("email", str, required=True),
            OpenApiParameter(
                "groups",
                str,
                required=False,
                description="An identity provider's groups, comma-separated",
            ),
        ],
        responses={200: JoiningTestOutput},
    )
    @action(detail=False, methods=["get"])
    def test(self, request, *args, **kwargs):
        """What would happen if this address signed up, and which rule decides."""
        email = (request.query_params.get("email") or "").strip()
        if "@" not in email:
            raise ValidationError({"email": [_("Enter an e-mail address to test.")]})
        groups = split_groups(request.query_params.get("groups"))
        outcome = joining_outcome(tenant=self.tenant, email=email, groups=groups)
        return Response(
            {
                "outcome": outcome.outcome,
                "rule": outcome.rule.pk if outcome.rule else None,
                "role": outcome.role.key if outcome.role else None,
                "reason": outcome.reason,
            }
        )


# Approvals ----------------------------------------------------------------------------------


class ApprovalSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    role = serializers.CharField(source="role.key", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    requested_at = serializers.DateTimeField(source="joined_at", read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending, active or deactivated")

    class Meta:
        model = Membership
        fields = ["id", "email", "name", "role", "organization", "status", "requested_at"]


class ApprovalViewSet(mixins.ListModelMixin, TenantScopedViewSet):
    """Sign-ups waiting for an admin."""

    serializer_class = ApprovalSerializer
    required_action = "manage_people"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return (
            Membership.objects.for_tenant(self.tenant)
            .filter(status=Membership.Status.PENDING)
            .select_related("user", "role", "organization")
            .order_by("joined_at", "pk")
        )

    @extend_schema(request=None, responses={200: ApprovalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        try:
            membership = approve_registration(membership=self.get_object(), by=request.user)
        except NotPermitted as refusal:
            raise Refused(Decision(False, refusal.reasons)) from None
        return Response(ApprovalSerializer(membership).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        try:
            reject_registration(membership=self.get_object(), by=request.user)
        except NotPermitted as refusal:
            _refuse(refusal.message)
        return Response(status=status.HTTP_204_NO_CONTENT)
