"""Sign-up and its link: the joining rules decide once the address is proved."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.viewsets import no_such_helpdesk

from ..models import Tenant
from ..services import accepts_sign_ups
from ..verification import InvalidLink, find_sign_up, sign_up, verify
from .base import SignUpThrottle, _bad_input

# Sign-up ------------------------------------------------------------------------------------


class RegisterInput(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    name = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        # Self-escalation: an applicant never chooses their role; the joining rules do.
        for field in ("role", "status", "organization", "is_admin"):
            if field in self.initial_data:
                raise ValidationError(
                    {
                        field: [
                            _(
                                "You cannot choose this when you sign up; the helpdesk's "
                                "joining rules decide it."
                            )
                        ]
                    }
                )
        return attrs


class StatusOutput(serializers.Serializer):
    status = serializers.CharField()


def _open_door(slug: str) -> Tenant:
    """The tenant at ``slug`` if it takes sign-ups; an invitation-only one answers as an
    unknown slug does (outsiders learn nothing of it)."""
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None or not accepts_sign_ups(tenant):
        raise no_such_helpdesk()
    return tenant


class RegisterView(APIView):
    """Sign up to a tenant: a link goes to the address, and once it is followed the joining
    rules decide. The answer is the same whether or not the address has an account."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SignUpThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=RegisterInput,
        responses={202: StatusOutput, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, slug):
        tenant = _open_door(slug)
        payload = RegisterInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            sign_up(tenant=tenant, **payload.validated_data)
        except DjangoValidationError as error:
            _bad_input(error)
        return Response({"status": "unverified"}, status=status.HTTP_202_ACCEPTED)


class VerifyInput(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class VerifyView(APIView):
    """Follow a sign-up's link (its token): the address is proved and the joining rules
    decide. An expired, used or unknown token is a 400 saying which."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SignUpThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=VerifyInput,
        responses={200: StatusOutput, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, slug):
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise no_such_helpdesk()
        if not accepts_sign_ups(tenant):
            # Closed now: only a link it gave out while it was open is worth an answer.
            token = request.data.get("token") if hasattr(request.data, "get") else None
            try:
                find_sign_up(tenant=tenant, token=str(token or ""))
            except InvalidLink:
                raise no_such_helpdesk() from None
        payload = VerifyInput(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            result = verify(tenant=tenant, token=payload.validated_data["token"])
        except InvalidLink as error:
            raise ValidationError({"token": [error.message]}) from None
        return Response({"status": result.status, "detail": result.reason})
