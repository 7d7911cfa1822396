from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from helpdesk.api import TenantScopedViewSet

from .access import Decision, permissions_of
from .models import Membership


class TokenInput(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """Trade an e-mail and password for an API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=TokenInput, responses={200: TokenOutput})
    def post(self, request):
        payload = TokenInput(data=request.data)
        payload.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=payload.validated_data["email"],
            password=payload.validated_data["password"],
        )
        if user is None:
            return Response(
                {"detail": _("That e-mail and password do not match an account.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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

    @extend_schema(responses=MeSerializer)
    def list(self, request, *args, **kwargs):
        return Response(MeSerializer(self.membership).data)
