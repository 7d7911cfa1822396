"""Invitations with a role, and their acceptance with the token."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.viewsets import TenantScopedViewSet, no_such_helpdesk

from ..models import Invitation, Tenant
from ..services import NotPermitted, accept_invitation, find_invitation, invitation_refusal, invite
from .base import OrganizationField, RoleKeyField, SignUpThrottle, _bad_input, _refuse

# Invitations --------------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    role = RoleKeyField()
    organization = OrganizationField(allow_null=True, required=False)
    token = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "organization",
            "token",
            "status",
            "expires_at",
            "created_at",
        ]
        read_only_fields = ["expires_at", "created_at"]

    def get_token(self, invitation) -> str | None:
        # The token exists only in the answer to the invitation's creation: we keep its hash.
        return getattr(invitation, "token", None)


class InvitationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, TenantScopedViewSet):
    """Invite people with a role: a single-use link, sent by e-mail, that expires."""

    serializer_class = InvitationSerializer
    required_action = "manage_people"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return Invitation.objects.for_tenant(self.tenant).select_related("role")

    def perform_create(self, serializer):
        try:
            invitation, token = invite(
                tenant=self.tenant, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _bad_input(error)
        invitation.token = token
        serializer.instance = invitation


class AcceptInput(serializers.Serializer):
    token = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class AcceptOutput(serializers.Serializer):
    status = serializers.CharField()
    role = serializers.CharField()
    tenant = serializers.CharField()


class AcceptInvitationView(APIView):
    """Accept an invitation with its token: a new person sets name and password; a person
    with an account gives its password."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SignUpThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=AcceptInput,
        responses={
            201: AcceptOutput,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request, slug):
        tenant = Tenant.objects.filter(slug=slug).first()
        token = request.data.get("token") if hasattr(request.data, "get") else None
        invitation = find_invitation(tenant=tenant, token=str(token or "")) if tenant else None
        if invitation is None:  # unknown here (perhaps another tenant's): as an unknown slug
            raise no_such_helpdesk()
        payload = AcceptInput(data=request.data)
        payload.is_valid(raise_exception=True)
        refusal = invitation_refusal(invitation)
        if refusal:
            _refuse(refusal)
        try:
            membership = accept_invitation(
                invitation=invitation,
                name=payload.validated_data["name"],
                password=payload.validated_data["password"],
            )
        except DjangoValidationError as error:
            _bad_input(error)
        except NotPermitted as refusal:
            _refuse(refusal.message)
        return Response(
            {"status": membership.status, "role": membership.role.key, "tenant": tenant.slug},
            status=status.HTTP_201_CREATED,
        )
